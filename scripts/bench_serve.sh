#!/usr/bin/env bash
# Server load benchmark: `casebook serve` (release) on a generated corpus, loaded with wrk on
# loopback. Prints a markdown report on stdout; a run worth keeping is saved as a dated file in
# benchmarks/ (benchmarks/2026-11-29-serve.md is one). scripts/bench/suite.sh, the entry point,
# measures the server too.
# Usage: scripts/bench_serve.sh [DOCS] [SECONDS] [CONNECTIONS]
# Needs wrk (Debian: apt-get install wrk). wrk and the server share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-10000}
SECONDS_EACH=${2:-20}
CONNS=${3:-16}
command -v wrk >/dev/null || { echo "error: wrk not found (apt-get install wrk)" >&2; exit 2; }
cargo build --release --quiet --bin casebook --example gen_corpus
BIN=$PWD/target/release
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
"$BIN/examples/gen_corpus" --docs "$DOCS" --out "$WORK/corpus" >/dev/null
cd "$WORK/corpus"
printf '/.casebook/\n/public*/\n' >.gitignore

started=$(date +%s.%N)
"$BIN/casebook" serve --bind 127.0.0.1:0 2>"$WORK/serve.log" &
SERVER=$!
addr=
until [ -n "$addr" ]; do
    kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
    sleep 0.2
    addr=$(sed -n "s#^serving on http://\([^/]*\)/.*#\1#p" "$WORK/serve.log")
done
ready_s=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $started}")
rss() { awk -v k="$1" '$1 == k":" {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }
rss_idle=$(rss VmRSS)

# Typical analyst queries (one to three words, a phrase, a filter), in rotation.
cat >"$WORK/queries.lua" <<'LUA'
local queries = {
  "interpreters", "labour+exploitation+interpreters", "financial+investigation",
  "%22victim+care%22", "closure+notice", "risk+order", "duty+to+notify",
  "interpreters&area=portsmouth", "&theme=interpreters&exploitation=labour", "inter*",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?q=" .. queries[(i % #queries) + 1])
end
LUA

# wrk's --latency table: 50% 75% 90% 99%, then requests/s.
run() {
    local out
    out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_EACH}s" --latency "$@" 2>&1)
    local p50 p99 rps non2xx errs
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    rps=$(echo "$out" | awk '/^Requests\/sec/ {printf "%.0f", $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    errs=$(echo "$out" | awk '/Socket errors/ {print $0}')
    echo "| ${rps} | ${p50} | ${p99} | ${non2xx:-0} | ${errs:-none} |"
}

page=$(find public/reviews -mindepth 2 -maxdepth 2 -name index.html -print -quit | sed 's#^public##; s#index.html$##')
page_kb=$(du -k "public${page}index.html" | cut -f1)
echo "## \`casebook serve\`: ${DOCS} generated documents, wrk -t2 -c${CONNS} -d${SECONDS_EACH}s ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "| target | requests/s | p50 | p99 | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|"
echo "| static page ${page} (${page_kb} KiB), the baseline | $(run "http://$addr$page" | cut -c3-)"
echo "| \`/api/search\`, one query \`interpreters\` | $(run "http://$addr/api/search?q=interpreters" | cut -c3-)"
echo "| \`/api/search\`, ten typical queries in rotation | $(run -s "$WORK/queries.lua" "http://$addr" | cut -c3-)"
echo "| \`/search\` (HTML results page), \`interpreters\` | $(run "http://$addr/search?q=interpreters" | cut -c3-)"
echo
echo "Server ready (initial build of ${DOCS} documents) in ${ready_s} s."
echo "Resident memory: ${rss_idle} MiB after start, $(rss VmRSS) MiB after the runs, peak $(rss VmHWM) MiB (VmHWM, including the initial build)."
lines=$(grep -c '"event":"search"' "$WORK/serve.log" || true)
echo "Audit lines written: ${lines} (one per search, to the log)."
