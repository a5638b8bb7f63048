#!/usr/bin/env bash
# Kill -9 during builds: a build is killed at random moments, and the next plain `casebook
# build` (no clean-up by hand) must succeed, leave nothing staged behind, and give the site and
# the search answers of a clean full build of the same commit.
#
#   scripts/faults.sh [--points 50] [--docs 1000] [--release]
#
# A generated corpus with history (examples/gen_corpus) is built at two commits in turn, so
# kills land in full and in incremental builds, in every phase (reading, checking, rendering,
# indexing, publishing). The moment of each kill is drawn uniformly over a build's measured
# length. Prints one line per point and a summary: "kill -9 at N points: N survived".
# Debug binaries by default (already built by the tests); --release for realistic timing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
POINTS=50
DOCS=1000
PROFILE=debug
while [ $# -gt 0 ]; do
    case "$1" in
        --points) POINTS=$2; shift ;;
        --docs) DOCS=$2; shift ;;
        --release) PROFILE=release ;;
        *) echo "usage: $0 [--points N] [--docs N] [--release]" >&2; exit 2 ;;
    esac
    shift
done
# shellcheck source=scripts/lib/corpus.sh
. "$ROOT/scripts/lib/corpus.sh"
build_tools
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
build_env Faults

"$BIN/examples/gen_corpus" --docs "$DOCS" --commits 20 --out "$W/repo" >/dev/null
A=$(git -C "$W/repo" rev-parse HEAD~4)
B=$(git -C "$W/repo" rev-parse HEAD)
digest() { site_digest "$1" public; }

# The reference: a clean full build of each commit, in a clone of its own.
declare -A REF
for c in "$A" "$B"; do
    git clone -q "$W/repo" "$W/ref-$c"
    git -C "$W/ref-$c" checkout -q --detach "$c"
    (cd "$W/ref-$c" && "$BIN/casebook" build --full >/dev/null 2>&1)
    REF[$c]=$(digest "$W/ref-$c")
done

# How long each kind of build takes here: a kill is drawn uniformly over 0 .. that length.
git -C "$W/repo" checkout -q --detach "$A"
seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
FULL=$(cd "$W/repo" && seconds "$BIN/casebook" build --full)
git -C "$W/repo" checkout -q --detach "$B"
INCREMENTAL=$(cd "$W/repo" && seconds "$BIN/casebook" build)
echo "corpus: $DOCS documents; a full build takes ${FULL}s, an incremental one ${INCREMENTAL}s ($PROFILE)"

survived=0
points=0
attempts=0
c=$B
while [ "$points" -lt "$POINTS" ] && [ "$attempts" -lt $((POINTS * 4)) ]; do
    attempts=$((attempts + 1))
    # Alternate the commit, so each build has work to do; every fifth a full rebuild.
    if [ "$c" = "$A" ]; then c=$B; else c=$A; fi
    full=()
    length=$INCREMENTAL
    if [ $((attempts % 5)) = 0 ]; then full=(--full); length=$FULL; fi
    git -C "$W/repo" checkout -q --detach "$c"
    delay=$(awk -v s="$RANDOM$attempts" -v l="$length" 'BEGIN {srand(s); printf "%.3f", rand() * l}')
    (cd "$W/repo" && exec "$BIN/casebook" build "${full[@]}" >"$W/killed.log" 2>&1) &
    pid=$!
    sleep "$delay"
    if ! kill -9 "$pid" 2>/dev/null; then
        # The build finished before the moment drawn: not a kill point; draw again.
        wait "$pid" 2>/dev/null || true
        continue
    fi
    wait "$pid" 2>/dev/null || true
    points=$((points + 1))
    phase=$(tail -1 "$W/killed.log" | tr -d '\r' | cut -c1-50)
    what="point $points: ${full[*]:-incremental} build killed at ${delay}s (${phase:-before its first line})"
    if ! (cd "$W/repo" && "$BIN/casebook" build >"$W/next.log" 2>&1); then
        echo "$what: the next build failed:"
        tail -5 "$W/next.log"
        continue
    fi
    left=$(find "$W/repo" -name '*.partial' -o -name '*.new' | head -3)
    got=$(digest "$W/repo")
    if [ -n "$left" ]; then
        echo "$what: staging left behind: $left"
    elif [ "$got" != "${REF[$c]}" ]; then
        echo "$what: the site or search differs from a clean build"
    else
        survived=$((survived + 1))
        echo "$what: ok"
    fi
done
echo "kill -9 at $points points: $survived survived (next build exit 0, nothing staged left, site and search equal to a clean full build)"
[ "$points" = "$POINTS" ] && [ "$survived" = "$POINTS" ]
