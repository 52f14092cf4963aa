#!/usr/bin/env bash
# The team's write path with real servers on loopback (not part of `cargo test`):
#   1. 50 saves at once through the API: 50 files and 50 one-file commits, `git fsck` clean;
#   2. 10 edits of one case at once with the same If-Match: one 200, nine 412;
#   3. kill -9 amid saves: each file old or new (`casebook check` finds no error), no
#      temporary file beside the cases, and after a restart every saved case is searchable;
#   4. two servers with --git-sync 1 on one bare repository: a case written on one is
#      searchable on the other within two intervals; a case edited on both is a conflict
#      on the problems page with both versions kept.
# Prints each figure and `team: PASS` (exit 0) or `team: FAIL` (exit 1).
#
#   bench/team.sh            # needs curl, git and the release binary (built if missing)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/casebook}
[ -x "$BIN" ] || (cd "$ROOT" && cargo build --release --quiet --bin casebook)
command -v curl >/dev/null || { echo "team.sh: curl is missing" >&2; exit 2; }
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
FAILED=0
check() { if eval "$2"; then echo "  ok   $1"; else echo "  FAIL $1"; FAILED=1; fi; }
git_as() { git -c user.name=Team -c user.email=team@example.org "$@"; }

start() { # start KB PORT [ARGS...]: serve KB on PORT, wait for it
  local kb=$1 port=$2; shift 2
  "$BIN" --kb "$kb" serve --addr "127.0.0.1:$port" "$@" >>"$WORK/server-$port.log" 2>&1 &
  PIDS+=($!)
  disown "$!"
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "the server on $port did not start" >&2; exit 1
}
post_case() { # post_case PORT TOKEN TITLE WORD: prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/api/cases" \
    -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
    --data "{\"title\":\"$3\",\"crisis_type\":\"legal\",\"date\":\"1404-01-15\",\"body\":\"$4\"}"
}
total() { curl -s "http://127.0.0.1:$1/api/search?q=$2&facets=false" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }

# A team folder: the bundled cases in a git repository.
KB=$WORK/kb
cp -a "$ROOT/cases" "$KB" && rm -rf "$KB/.casebook"
git_as -C "$KB" init -q && git_as -C "$KB" add . && git_as -C "$KB" commit -qm "The cases"
TOKEN=$("$BIN" --kb "$KB" token add script 2>/dev/null | tail -1)

echo "== 1. 50 saves at once"
start "$KB" 18301
BEFORE=$(git -C "$KB" rev-list --count HEAD)
seq 1 50 | xargs -P 50 -I{} bash -c "$(declare -f post_case); post_case 18301 $TOKEN 'پرونده همزمان {}' concword{}" >"$WORK/statuses"
check "50 answered 201" '[ "$(grep -o 201 "$WORK/statuses" | wc -l)" = 50 ]'
check "50 new commits" '[ $(( $(git -C "$KB" rev-list --count HEAD) - BEFORE )) = 50 ]'
check "each commit holds one file" '[ "$(git -C "$KB" log -50 --format= --name-only | grep -c .)" = 50 ]'
check "git fsck clean" 'git -C "$KB" fsck --strict --no-progress 2>/dev/null'
check "all 50 searchable" '[ "$(total 18301 concword1)" = 1 ] && [ "$(total 18301 concword50)" = 1 ]'

echo "== 2. 10 edits of one version at once"
ID=$(curl -s "http://127.0.0.1:18301/api/search?q=concword7&facets=false" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -1)
ETAG=$(curl -s -D - -o /dev/null "http://127.0.0.1:18301/api/cases/$ID" | tr -d '\r' | sed -n 's/^etag: //Ip')
seq 1 10 | xargs -P 10 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X PUT "http://127.0.0.1:18301/api/cases/$ID" \
  -H "Authorization: Bearer $TOKEN" -H "If-Match: $ETAG" -H 'Content-Type: application/json' \
  --data '{"title":"پرونده همزمان 7","crisis_type":"legal","date":"1404-01-15","body":"edit {}"}' >"$WORK/puts"
check "one 200, nine 412" '[ "$(sort "$WORK/puts" | uniq -c | tr -s " " | xargs)" = "1 200 9 412" ]'

echo "== 3. kill -9 amid saves"
( for i in $(seq 100 400); do post_case 18301 "$TOKEN" "پرونده کشته $i" killword$i >/dev/null || true; done ) &
WRITER=$!
sleep 1.5
kill -9 "${PIDS[0]}"
wait "$WRITER" 2>/dev/null || true
check "casebook check finds no error" '"$BIN" --kb "$KB" check >/dev/null 2>&1'
check "no temporary file beside the cases" '[ -z "$(find "$KB" -path "$KB/.casebook" -prune -o -path "$KB/.git" -prune -o -type f ! -name "*.md" ! -name "*.toml" ! -name "*.yaml" ! -name ".gitignore" -print | grep -v casebook-private)" ]'
sleep 11 # a temporary file younger than 10 s may be another process's write in progress
start "$KB" 18302
SAVED=$(find "$KB" -name '*.md' -newer "$WORK/statuses" | xargs grep -l killword 2>/dev/null | wc -l)
FOUND=0
for f in $(find "$KB" -name '*.md' -newer "$WORK/statuses" | xargs grep -ho 'killword[0-9]*' 2>/dev/null); do
  [ "$(total 18302 "$f")" = 1 ] && FOUND=$((FOUND + 1))
done
echo "  $SAVED case(s) saved before the kill, $FOUND found after the restart"
check "every saved case searchable after the restart" '[ "$SAVED" -gt 0 ] && [ "$FOUND" = "$SAVED" ]'
check "the temporary folder is empty after the restart" '[ -z "$(ls -A "$KB/.casebook/tmp" 2>/dev/null)" ]'

echo "== 4. two servers, one bare repository, --git-sync 1"
git_as -C "$KB" add -A && git_as -C "$KB" commit -qm "what the kill left uncommitted" >/dev/null || true
git clone -q --bare "$KB" "$WORK/team.git"
for side in office branch; do
  git clone -q "$WORK/team.git" "$WORK/$side"
  git -C "$WORK/$side" config user.name "$side" && git -C "$WORK/$side" config user.email "$side@example.org"
done
OTOKEN=$("$BIN" --kb "$WORK/office" token add office 2>/dev/null | tail -1)
BTOKEN=$("$BIN" --kb "$WORK/branch" token add branch 2>/dev/null | tail -1)
start "$WORK/office" 18311 --git-sync 1
start "$WORK/branch" 18312 --git-sync 1
post_case 18311 "$OTOKEN" "نوشته در دفتر مرکزی" syncword1 >/dev/null
START=$(date +%s.%N)
for _ in $(seq 1 100); do [ "$(total 18312 syncword1)" = 1 ] && break; sleep 0.1; done
TOOK=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
echo "  written at the office, searchable at the branch after ${TOOK} s"
check "within two intervals" 'awk -v t="$TOOK" "BEGIN {exit !(t <= 2.0)}"'
EDIT_ID=$(curl -s "http://127.0.0.1:18311/api/search?q=syncword1&facets=false" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p' | head -1)
for pair in "18311 $OTOKEN officeversion" "18312 $BTOKEN branchversion"; do
  set -- $pair
  E=$(curl -s -D - -o /dev/null "http://127.0.0.1:$1/api/cases/$EDIT_ID" | tr -d '\r' | sed -n 's/^etag: //Ip')
  curl -s -o /dev/null -X PUT "http://127.0.0.1:$1/api/cases/$EDIT_ID" -H "Authorization: Bearer $2" \
    -H "If-Match: $E" -H 'Content-Type: application/json' \
    --data "{\"title\":\"نوشته در دفتر مرکزی\",\"crisis_type\":\"legal\",\"date\":\"1404-01-15\",\"body\":\"$3\"}"
done
for _ in $(seq 1 50); do
  P1=$(curl -s "http://127.0.0.1:18311/problems"); P2=$(curl -s "http://127.0.0.1:18312/problems")
  if grep -q officeversion <<<"$P1$P2" && grep -q branchversion <<<"$P1$P2" && grep -q 'class="conflict"' <<<"$P1$P2"; then break; fi
  sleep 0.2
done
check "the conflict is on a problems page with both versions" 'grep -q "class=\"conflict\"" <<<"$P1$P2" && grep -q officeversion <<<"$P1$P2" && grep -q branchversion <<<"$P1$P2"'
check "each server keeps its own version" 'grep -rq officeversion "$WORK/office" --include=*.md && grep -rq branchversion "$WORK/branch" --include=*.md'

if [ "$FAILED" = 0 ]; then echo "team: PASS"; else echo "team: FAIL"; exit 1; fi
