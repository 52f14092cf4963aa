#!/usr/bin/env bash
# HTTP benchmark of `casebook serve` (not part of `cargo test`): requests per second and
# p99 latency at 16 and 64 connections for a trivial handler (/healthz), the search page
# and the search API, next to the same searches timed in-process, in one run.
#
#   bench/http.sh                 # 100,000 synthetic cases, 10 s per measurement
#   N=10000 DUR=5s bench/http.sh  # smaller and quicker
#
# Needs wrk (apt-get install wrk) and curl. The corpus is generated once under target/.
set -euo pipefail

N=${N:-100000}
DUR=${DUR:-10s}
PORT=${PORT:-18080}
THREADS=${THREADS:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/target/bench-corpus-$N}
BIN=$ROOT/target/release/casebook
GEN=$ROOT/target/release/examples/http_corpus

command -v wrk >/dev/null || { echo "bench/http.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
(cd "$ROOT" && cargo build --release --quiet --bin casebook --example http_corpus)

if [ ! -d "$CORPUS" ]; then
  "$GEN" generate "$CORPUS" "$N"
fi
"$BIN" --kb "$CORPUS" index >/dev/null

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== corpus: $N synthetic cases in $CORPUS"
"$GEN" query "$CORPUS" 300

"$BIN" --kb "$CORPUS" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "the server did not start" >&2; exit 1; }

# قرارداد, and قرارداد in the contracts chapter
Q='%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF'
declare -a NAMES=("healthz" "search page q=قرارداد" "api q=قرارداد" "api q=قرارداد&chapter=contracts" "case page (related over all cases)")
declare -a URLS=(
  "/healthz"
  "/search?q=$Q"
  "/api/search?q=$Q"
  "/api/search?q=$Q&chapter=contracts"
  "/cases/000/case-000001"
)

echo "== over HTTP (wrk -t$THREADS -d$DUR --latency), server and client on the same machine:"
printf '  %-34s %6s %12s %10s %10s\n' "endpoint" "conns" "req/s" "p50" "p99"
for c in 16 64; do
  for i in "${!URLS[@]}"; do
    out=$(wrk -t"$THREADS" -c"$c" -d"$DUR" --latency "http://127.0.0.1:$PORT${URLS[$i]}")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
    printf '  %-34s %6s %12s %10s %10s %s\n' "${NAMES[$i]}" "$c" "$rps" "$p50" "$p99" "$errors"
  done
done
