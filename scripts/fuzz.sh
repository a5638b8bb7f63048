#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/fuzz_targets) with cargo-fuzz on the stable toolchain.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   scripts/fuzz.sh --short [SECONDS] [TARGET...]     (CI: 30 s each by default)
#
# --short is the quick run CI makes: an unoptimised build without debug assertions (about 4
# minutes rather than 9), each target started from its seeds plus its regressions in a
# temporary folder of its own (so no grown corpus is read or changed), and 60 s before an
# input counts as a stall. A crash fails it all the same.
#
# SECONDS per target (default 600); targets default to all four, two at a time (the machine's
# cores). Git keeps, per target, at most 200 seeds (fuzz/seeds/<target>/, chosen by coverage
# with `cargo fuzz cmin`) and every input that once failed (fuzz/regressions/<target>/); the
# corpus a run grows is fuzz/corpus/<target>/, which git ignores. Each run copies the seeds
# and regressions into that folder, starts from all it holds and adds what it finds there; a
# crash is saved in fuzz/artifacts/<target>/ and fails the script. Keep a crash's input as a
# regression: copy it into fuzz/regressions/<target>/ (tests/it/fuzz_regressions.rs replays
# every file there and in fuzz/seeds/<target>/). Logs go to fuzz/logs/<target>.log; the last
# lines of each are printed (executions, coverage, corpus size).
#
# Installs cargo-fuzz when it is missing. FUZZ_TIMEOUT sets the stall limit (default 10 s).
# FUZZ_PROFILE=--dev builds without optimisation, but cargo-fuzz then turns debug assertions on
# for every crate, and tantivy's own assertion in PhraseScorer::seek_danger fails the query and
# request targets (RELIABILITY.md, "Fuzzing"); use it for front_matter and markdown only.
# RUSTC_BOOTSTRAP=1 lets the stable compiler
# accept the instrumentation flags. No sanitizer: the crate has no unsafe code of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
short=false
if [ "${1:-}" = --short ]; then
    short=true
    shift
fi
if $short; then seconds="${1:-30}"; else seconds="${1:-600}"; fi
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter markdown query request)
profile="${FUZZ_PROFILE:--O}"   # --dev: a quicker build (see above)
timeout="${FUZZ_TIMEOUT:-10}"   # seconds an input may take before it counts as a stall
if $short; then
    # The release profile at opt-level 0: cargo-fuzz's --dev would also force debug assertions.
    export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
    profile=-O
    timeout="${FUZZ_TIMEOUT:-60}"
    seeds=$(mktemp -d)
    trap 'rm -rf "$seeds"' EXIT
fi
export RUSTC_BOOTSTRAP=1
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "installing cargo-fuzz (a debug build: it only drives cargo and libFuzzer)"
    cargo install --quiet --locked --debug --version 0.13.2 cargo-fuzz
fi
cargo fuzz build -s none "$profile" >/dev/null
mkdir -p fuzz/logs
status=0
run() {
    local t="$1" corpus="fuzz/corpus/$1"
    if $short; then corpus="$seeds/$t"; fi
    mkdir -p "$corpus" "fuzz/artifacts/$t"
    # The seeds and regressions git keeps (a folder may be absent: a new target has none yet).
    for kept in "fuzz/seeds/$t" "fuzz/regressions/$t"; do
        [ ! -d "$kept" ] || find "$kept" -type f -exec cp -t "$corpus" {} +
    done
    # -timeout: an input taking longer than this is a finding (a stall), as is a crash.
    if cargo fuzz run -s none "$profile" "$t" "$corpus" -- \
        -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=4096 -print_final_stats=1 \
        >"fuzz/logs/$t.log" 2>&1; then
        echo "$t: $(grep -E '^Done [0-9]+ runs' "fuzz/logs/$t.log" | tail -1) | $(grep -E '#[0-9]+.*(DONE|pulse)' "fuzz/logs/$t.log" | tail -1 | sed 's/  */ /g')"
    else
        echo "$t: FAILED, see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        grep -E "panicked|ERROR|SUMMARY" "fuzz/logs/$t.log" | head -5
        return 1
    fi
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    pids=()
    for t in "${targets[@]:i:2}"; do
        run "$t" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do
        wait "$p" || status=1
    done
done
exit $status
