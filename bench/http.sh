#!/usr/bin/env bash
# HTTP benchmark of `casebook serve` (not part of `cargo test`): requests per second and
# p99 latency at 16 and 64 connections for a trivial handler (/healthz), the search page,
# the search API (common word, rare word, with a filter), a case page and a notebook
# chapter, next to the same searches timed in-process, in one run.
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

# رسانه (in ~94% of the cases), قرارداد (~3%), title:contract (~0.2%), and قرارداد in
# the contracts chapter
COMMON='%D8%B1%D8%B3%D8%A7%D9%86%D9%87'
Q='%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF'
RARE='title%3Acontract'
declare -a NAMES=("healthz" "search page q=قرارداد" "api q=رسانه (common)" "api q=قرارداد"
  "api q=title:contract (rare)" "api q=قرارداد&chapter=contracts" "case page"
  "notebook/contracts")
declare -a URLS=(
  "/healthz"
  "/search?q=$Q"
  "/api/search?q=$COMMON"
  "/api/search?q=$Q"
  "/api/search?q=$RARE"
  "/api/search?q=$Q&chapter=contracts"
  "/cases/000/case-000001"
  "/notebook/contracts"
)

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
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
# One slow query must not stall the others: rare-word searches while common-word
# searches keep 16 connections busy.
echo "== mixed: 16 conns of q=رسانه (common) in the background, 16 conns of title:contract measured"
wrk -t1 -c16 -d"$DUR" "http://127.0.0.1:$PORT/api/search?q=$COMMON" >/dev/null &
BG=$!
sleep 1
out=$(wrk -t1 -c16 -d"$DUR" --latency "http://127.0.0.1:$PORT/api/search?q=$RARE")
wait $BG
printf '  %-34s %6s %12s %10s %10s\n' "api rare, beside common" 16 \
  "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
  "$(awk '$1 == "99%" {print $2}' <<<"$out")"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
