#!/usr/bin/env bash
# The soak: `casebook serve` on a generated corpus under steady load (mixed searches, results
# pages and document pages at 32 connections) while a commit lands every 5 seconds and is
# rebuilt live. Passes when there were no errors, resident memory grew less than 10 % from
# after the warm-up to the end of the load, the open file descriptors stayed flat (within 16),
# and the last commit is the one served. Memory and descriptors are compared as medians: of
# the first third of the samples after the warm-up against the last third. The warm-up is the
# first quarter of the run: searches fault the memory-mapped index in for minutes on a large
# collection, longer on a loaded machine. (A run under ten minutes reports memory growth
# without judging it; its warm-up is its first minute or third.)
#
#   scripts/soak.sh [--minutes 30] [--docs 10000] [--connections 32] [--every 5]
#   scripts/soak.sh --quick      # 60 s, 1,000 documents, debug binaries: what CI runs
#
# Prints a summary (duration, requests, errors, p50/p99, commits, memory, descriptors) and
# keeps the samples (seconds, RSS KiB, descriptors, commit served, anonymous and file RSS KiB)
# in soak-samples.csv in the working folder it names. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MINUTES=30
DOCS=10000
CONNS=32
EVERY=5
PROFILE=release
SECONDS_TOTAL=
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) MINUTES=$2; shift ;;
        --docs) DOCS=$2; shift ;;
        --connections) CONNS=$2; shift ;;
        --every) EVERY=$2; shift ;;
        --quick) SECONDS_TOTAL=60; DOCS=1000; PROFILE=debug ;;
        *) echo "usage: $0 [--minutes M] [--docs N] [--connections C] [--every S] [--quick]" >&2; exit 2 ;;
    esac
    shift
done
SECONDS_TOTAL=${SECONDS_TOTAL:-$((MINUTES * 60))}
if ! command -v wrk >/dev/null; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || true
fi
command -v wrk >/dev/null || { echo "error: wrk is needed (apt-get install wrk)" >&2; exit 2; }
# shellcheck source=scripts/lib/corpus.sh
. "$ROOT/scripts/lib/corpus.sh"
build_tools
W=$(mktemp -d)
build_env Soak
PID=
COMMITTER=
SAMPLER=
cleanup() {
    for p in $COMMITTER $SAMPLER $PID; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$W/repo"
}
trap cleanup EXIT

echo "== corpus: $DOCS documents ($W)"
"$BIN/examples/gen_corpus" --docs "$DOCS" --commits 20 --out "$W/repo" >/dev/null
printf '[serve]\npoll_seconds = 1\n' >"$W/repo/casebook.toml"
git -C "$W/repo" add casebook.toml && git -C "$W/repo" commit -qm "poll every second"
# The audit trail (a line per request, starting `{`) is left out of the kept log.
cd "$W/repo"
"$BIN/casebook" serve --bind 127.0.0.1:0 >/dev/null 2> >(grep --line-buffered -v '^{' >"$W/serve.log") &
PID=$!
cd "$ROOT"
addr=
for _ in $(seq 1 3000); do
    kill -0 "$PID" 2>/dev/null || { tail "$W/serve.log" >&2; exit 1; }
    addr=$(sed -n 's|^serving on http://\([^/]*\)/.*|\1|p' "$W/serve.log" | awk 'NR == 1')
    [ -n "$addr" ] && break
    sleep 0.2
done
[ -n "$addr" ] || { echo "error: the server did not start" >&2; exit 1; }
echo "== serving on $addr (pid $PID)"

# The load: searches (the JSON API and the results page) and document pages, in turn.
pages=$(curl -s "http://$addr/sitemap.xml" | sed 's|&#x2f;|/|g' |
    sed -n 's|.*<loc>https\{0,1\}://[^/]*\(/[^<]*\)</loc>.*|\1|p' | grep -v '/history/$' | awk 'NR % 7 == 1 && ++n <= 300')
[ -n "$pages" ] || { echo "error: no document pages in the sitemap" >&2; exit 1; }
{
    echo "local paths = {"
    i=0
    grep -v '^#' scripts/bench/queries.txt | grep -v '^[[:space:]]*$' | while IFS= read -r line; do
        q=${line%% | *}
        enc=$(printf '%s' "$q" | sed 's/%/%25/g; s/ /+/g; s/"/%22/g; s/#/%23/g; s/?/%3F/g; s/~/%7E/g; s/\*/%2A/g')
        printf '  "/api/search?q=%s",\n  "/search?q=%s",\n' "$enc" "$enc"
    done
    echo "$pages" | sed 's|.*|  "&",|'
    echo "}"
    echo "local i = 0"
    echo "request = function() i = i + 1; return wrk.format(\"GET\", paths[(i % #paths) + 1]) end"
} >"$W/soak.lua"

# A commit every EVERY seconds: one document's text changes.
(
    n=0
    files=$(cd "$W/repo" && git ls-files 'knowledge/reviews/*.md' | awk 'NR <= 50')
    while true; do
        sleep "$EVERY"
        n=$((n + 1))
        f=$(echo "$files" | sed -n "$(( (n % 50) + 1 ))p")
        echo "Soak revision $n: the learning was read again." >>"$W/repo/$f"
        git -C "$W/repo" commit -qam "soak revision $n" >/dev/null 2>&1 || true
    done
) &
COMMITTER=$!

# Samples every 5 s: seconds, RSS (KiB), open descriptors, commit served, and the RSS split
# into anonymous memory (the heap: what a leak grows) and file pages (the memory-mapped index,
# which the kernel pages in and out).
(
    start=$(date +%s)
    while kill -0 "$PID" 2>/dev/null; do
        status=$(cat "/proc/$PID/status" 2>/dev/null || true)
        rss=$(awk '$1 == "VmRSS:" {print $2}' <<<"$status")
        anon=$(awk '$1 == "RssAnon:" {print $2}' <<<"$status")
        file=$(awk '$1 == "RssFile:" {print $2}' <<<"$status")
        fds=$(ls "/proc/$PID/fd" 2>/dev/null | wc -l)
        commit=$(curl -s -m 5 "http://$addr/healthz" | sed -n 's/.*"commit":"\([0-9a-f]*\)".*/\1/p' | cut -c1-7)
        echo "$(( $(date +%s) - start )),${rss:-0},$fds,$commit,${anon:-0},${file:-0}"
        sleep 5
    done
) >"$W/soak-samples.csv" &
SAMPLER=$!

echo "== load: $CONNS connections for ${SECONDS_TOTAL}s, a commit every ${EVERY}s"
wrk -t2 -c"$CONNS" -d"${SECONDS_TOTAL}s" --timeout 30s --latency -s "$W/soak.lua" "http://$addr" >"$W/wrk.txt" 2>&1
kill "$COMMITTER" 2>/dev/null; wait "$COMMITTER" 2>/dev/null || true
COMMITTER=
head_commit=$(git -C "$W/repo" rev-parse HEAD | cut -c1-7)
served=
for _ in $(seq 1 120); do
    served=$(curl -s -m 5 "http://$addr/healthz" | sed -n 's/.*"commit":"\([0-9a-f]*\)".*/\1/p' | cut -c1-7)
    [ "$served" = "$head_commit" ] && break
    sleep 1
done
sleep 6
kill "$SAMPLER" 2>/dev/null || true

requests=$(awk '/requests in/ {print $1}' "$W/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$W/wrk.txt")
socket=$(sed -n 's/.*Socket errors: *//p' "$W/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$W/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$W/wrk.txt")
rps=$(awk '/^Requests\/sec/ {print $2}' "$W/wrk.txt")
commits=$(git -C "$W/repo" rev-list --count HEAD --grep '^soak revision')
rebuilt=$(grep -c "rebuilt at " "$W/serve.log" || true)
# Memory and descriptors while the load ran, from the end of the warm-up to the last sample.
if [ "$SECONDS_TOTAL" -ge 600 ]; then
    WARM=$((SECONDS_TOTAL / 4))
else
    WARM=$(( SECONDS_TOTAL / 3 < 60 ? SECONDS_TOTAL / 3 : 60 ))
fi
during="$W/during.csv"
awk -F, -v w="$WARM" -v e="$((SECONDS_TOTAL - 3))" '$1 >= w && $1 <= e' "$W/soak-samples.csv" >"$during"
# A rebuild's peak comes and goes: compare the median of the first third of these samples
# with the median of the last third.
median() { sort -n | awk '{a[NR] = $1} END {print (NR ? a[int((NR + 1) / 2)] : 0)}'; }
n=$(wc -l <"$during")
q=$(( n / 3 > 0 ? n / 3 : 1 ))
base=$(head -n "$q" "$during" | cut -d, -f2 | median)
last=$(tail -n "$q" "$during" | cut -d, -f2 | median)
peak=$(awk -F, 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$during")
growth=$(awk -v a="$base" -v b="$last" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
# The floor: the lowest RSS in each third, what stays between rebuilds (a leak raises it).
floor_base=$(head -n "$q" "$during" | cut -d, -f2 | sort -n | awk 'NR == 1')
floor_last=$(tail -n "$q" "$during" | cut -d, -f2 | sort -n | awk 'NR == 1')
fd_min=$(cut -d, -f3 "$during" | sort -n | head -1)
fd_max=$(cut -d, -f3 "$during" | sort -n | tail -1)
anon_base=$(head -n "$q" "$during" | cut -d, -f5 | median)
anon_last=$(tail -n "$q" "$during" | cut -d, -f5 | median)
file_base=$(head -n "$q" "$during" | cut -d, -f6 | median)
file_last=$(tail -n "$q" "$during" | cut -d, -f6 | median)
fd_first=$(head -n "$q" "$during" | cut -d, -f3 | median)
fd_last=$(tail -n "$q" "$during" | cut -d, -f3 | median)
errors=$(( ${non2xx:-0} ))
echo "soak: ${SECONDS_TOTAL}s, $DOCS documents, $CONNS connections"
echo "requests: $requests ($rps/s), p50 $p50, p99 $p99"
echo "errors: ${non2xx:-0} non-2xx${socket:+; socket errors: $socket}"
echo "commits: $commits landed, the last ($head_commit) served: ${served:-none}; rebuild lines in the log: $rebuilt"
echo "memory: RSS median $((base / 1024)) MiB in the first third after ${WARM}s of warm-up, $((last / 1024)) MiB in the last third (growth $growth %), peak $((peak / 1024)) MiB"
echo "floor: lowest RSS $((floor_base / 1024)) MiB in the first third, $((floor_last / 1024)) MiB in the last"
echo "of which anonymous (heap) $((anon_base / 1024)) → $((anon_last / 1024)) MiB, file pages (the mapped index) $((file_base / 1024)) → $((file_last / 1024)) MiB"
echo "descriptors while loaded: $fd_min–$fd_max (median $fd_first in the first third, $fd_last in the last)"
echo "samples: $W/soak-samples.csv"
ok=1
[ "$errors" = 0 ] || ok=0
[ -z "$socket" ] || ok=0
[ "$served" = "$head_commit" ] || ok=0
# A run under ten minutes is too short to tell growth from a rebuild's peak: reported only.
if [ "$SECONDS_TOTAL" -ge 600 ]; then awk -v g="$growth" 'BEGIN {exit !(g < 10)}' || ok=0; fi
[ $(( fd_last - fd_first )) -le 16 ] || ok=0
if [ "$ok" = 1 ]; then echo "soak: passed"; else echo "soak: FAILED"; tail -20 "$W/serve.log"; exit 1; fi
