#!/usr/bin/env bash
# Index and query benchmarks on a generated corpus. Prints a markdown report on stdout; a run
# worth keeping is saved as a dated file in benchmarks/ (benchmarks/2026-11-29-static-site.md is
# one), and BENCHMARKS.md cites it where it changes a target's standing. The benchmark suite,
# scripts/bench/suite.sh, is the entry point. Usage: scripts/bench.sh [DOCS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-10000}
RUNS=${2:-3}
cargo build --release --quiet --bin casebook --example gen_corpus --example bench_search --example bench_markdown
BIN=$PWD/target/release
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN/examples/gen_corpus" --docs "$DOCS" --out "$WORK/corpus" >/dev/null
cd "$WORK/corpus"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }

check_s=$(for _ in $(seq "$RUNS"); do timed "$BIN/casebook" check | cut -d' ' -f1; done | median)
full=$(for _ in $(seq "$RUNS"); do timed "$BIN/casebook" build --full; done)
full_s=$(echo "$full" | cut -d' ' -f1 | median)
full_kb=$(echo "$full" | cut -d' ' -f2 | median)
noop_s=$(for _ in $(seq "$RUNS"); do timed "$BIN/casebook" build | cut -d' ' -f1; done | median)
one_s=$(for i in $(seq "$RUNS"); do
  f=$(ls knowledge/reviews | head -1)
  sed -i "s/^## Learning/## Learning\n\nEdit $i./" "knowledge/reviews/$f"
  git -c user.name=bench -c user.email=bench@example.org commit -qam "edit $i"
  timed "$BIN/casebook" build | cut -d' ' -f1
done | median)
report=$("$BIN/casebook" build 2>&1 | grep -E "^(index|site):" | tr "\n" " ")
index_dir=.casebook/index-official-sensitive
size=$(du -sh "$index_dir" | cut -f1)

echo "## ${DOCS} generated documents ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "| measure | median of $RUNS |"
echo "|---|---|"
echo "| \`casebook check\` (load, parse, validate all) | ${check_s} s |"
echo "| \`casebook build --full\` (check + index + site from scratch) | ${full_s} s, peak RSS ${full_kb} KiB |"
echo "| documents / full build time | $(awk "BEGIN {printf \"%d\", $DOCS / $full_s}") docs/s |"
echo "| \`casebook build\` with nothing changed | ${noop_s} s |"
echo "| \`casebook build\` after a one-document commit | ${one_s} s |"
echo "| ratio full build / check | $(awk "BEGIN {printf \"%.1f\", $full_s / $check_s}") |"
echo "| index size (OFFICIAL-SENSITIVE) | ${size} |"
echo
echo "Last incremental report: \`${report}\`"
echo
echo '```'
"$BIN/examples/bench_search" "$index_dir" 20
echo '```'
echo
pages=$(find public -name '*.html' | wc -l)
echo "Site: ${pages} HTML pages, $(du -sh public | cut -f1)."
echo
"$BIN/examples/bench_markdown"
