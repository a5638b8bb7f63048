#!/usr/bin/env bash
# Times `check` and `build` on pathological documents of growing size (RELIABILITY.md): repeated
# headings, thousands of broken links, thousands of unsafe links on one line, a file of
# NI-number-shaped tokens, wide tables (refused by the work budget, E091). Each input goes into
# the base fixture's review, committed. Prints a markdown table; the time should grow linearly
# with the input.
#
#   scripts/pathological.sh [CASE]     (release build of casebook; CASE: only the inputs whose
#                                       generator is named CASE, e.g. wide_tables)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
cargo build --release --quiet --bin casebook
BIN=$ROOT/target/release/casebook
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REVIEW=knowledge/reviews/CR-2024-001-base.md

# seconds COMMAND...: wall-clock seconds of one run (exit status ignored)
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'
}

# case NAME N GENERATOR: a fresh repository whose review ends with GENERATOR's output
run_case() {
    local name=$1 n=$2 gen=$3 repo=$WORK/$1-$2
    cp -r "$ROOT/tests/fixtures/base" "$repo"
    "$gen" "$n" >>"$repo/$REVIEW"
    (cd "$repo" && git init -q && git add . && git -c user.name=t -c user.email=t@example.org commit -qm case)
    local bytes findings check_json check_human build
    bytes=$(wc -c <"$repo/$REVIEW")
    findings=$(cd "$repo" && "$BIN" check --format json 2>/dev/null | grep -o '"code"' | wc -l || true)
    check_json=$(cd "$repo" && seconds "$BIN" check --format json)
    check_human=$(cd "$repo" && seconds "$BIN" check)
    build=$(cd "$repo" && seconds "$BIN" build --quiet)
    echo "| $name | $n | $bytes | $findings | $check_json | $check_human | $build |"
    rm -rf "$repo"
}

headings() { for _ in $(seq "$1"); do printf '\n## Notes\n\nA line.\n'; done; }
broken_links() { for _ in $(seq "$1"); do printf '[see](CR-2099-001)\n'; done; }
unsafe_one_line() { for _ in $(seq "$1"); do printf '[x](javascript:alert(1)) '; done; echo; }
ni_numbers() { for _ in $(seq "$1"); do printf 'AB123456C '; done; echo; }
# N tables of 362 columns and 362 one-word rows: each asks for the parser's cap of cells.
wide_tables() {
    local header delimiter rows
    header=$(printf '|a%.0s' $(seq 362))
    delimiter=$(printf '|-%.0s' $(seq 362))
    rows=$(printf 'x\n%.0s' $(seq 362))
    for _ in $(seq "$1"); do printf '\n%s|\n%s|\n%b' "$header" "$delimiter" "$rows"; done
}
ONLY=${1:-}

echo "| input | count | bytes | findings listed | \`check --format json\` s | \`check\` s | \`build\` s |"
echo "|---|---|---|---|---|---|---|"
case_of() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
case_of headings && for n in 1000 2000 4000 8000; do run_case "repeated \`## Notes\` headings" "$n" headings; done
case_of broken_links && for n in 10000 20000 40000; do run_case "broken links (E060), one per line" "$n" broken_links; done
case_of unsafe_one_line && for n in 2000 4000 8000; do run_case "unsafe links (W106) on one line" "$n" unsafe_one_line; done
case_of ni_numbers && for n in 25000 50000 100000; do run_case "NI-number tokens (E070)" "$n" ni_numbers; done
case_of wide_tables && for n in 10 40 160 320; do run_case "wide tables (E091)" "$n" wide_tables; done
true
