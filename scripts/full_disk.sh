#!/usr/bin/env bash
# A full disk and a read-only folder, for real: the site is built on a small tmpfs, which is
# then filled (ENOSPC) and then remounted read-only (EROFS) while the next commit is built. Each
# failing build must exit 2 naming the file and the reason, leave nothing staged, and leave the
# index and the site at the previous commit, in step (the same site files and the same search
# answers as before it). Once the disk has room or is writable again, a plain build must
# succeed and equal a clean build of the new commit.
#
#   scripts/full_disk.sh [--release]
#
# Mounting needs root (or CAP_SYS_ADMIN); without it the script says so and exits 0, since the
# injected write error of `build::a_site_that_cannot_be_written_leaves_index_and_site_in_step`
# covers the same path in `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PROFILE=debug
case "${1:-}" in
    --release) PROFILE=release ;;
    "") ;;
    *) echo "usage: $0 [--release]" >&2; exit 2 ;;
esac
# shellcheck source=scripts/lib/corpus.sh
. "$ROOT/scripts/lib/corpus.sh"
build_tools
W=$(mktemp -d)
MNT="$W/repo/out"
cleanup() {
    umount "$MNT" 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT
build_env Disk

"$BIN/examples/gen_corpus" --docs 300 --commits 6 --out "$W/repo" >/dev/null
A=$(git -C "$W/repo" rev-parse HEAD~3)
B=$(git -C "$W/repo" rev-parse HEAD)
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=64m tmpfs "$MNT" 2>/dev/null; then
    echo "full disk: skipped (cannot mount a tmpfs here: needs root or CAP_SYS_ADMIN)"
    exit 0
fi
SITE=out/site
digest() { site_digest "$1" "$SITE"; }

build() { (cd "$W/repo" && "$BIN/casebook" build --output-dir "$SITE" "$@"); }

# The reference for B: a clean build in a clone of its own (on the ordinary disk).
git clone -q "$W/repo" "$W/ref"
(cd "$W/ref" && "$BIN/casebook" build --output-dir "$SITE" >/dev/null 2>&1)
REF_B=$(digest "$W/ref")

git -C "$W/repo" checkout -q --detach "$A"
build >/dev/null 2>&1
BEFORE=$(digest "$W/repo")
git -C "$W/repo" checkout -q --detach "$B"
failures=0

# expect_failed_build WHAT REASON: the build of B fails with exit 2 naming REASON, and leaves
# nothing staged and the index and site as they were.
expect_failed_build() {
    local what=$1 reason=$2 code=0 left
    build >"$W/failed.log" 2>&1 || code=$?
    left=$(find "$W/repo/out" "$W/repo/.casebook" -name '*.partial' -o -name '*.new' | awk 'NR <= 3')
    if [ "$code" != 2 ]; then
        echo "$what: the build exited $code, not 2"; failures=$((failures + 1))
    elif ! grep -q "$reason" "$W/failed.log"; then
        echo "$what: the error does not say \"$reason\":"; cat "$W/failed.log"; failures=$((failures + 1))
    elif [ -n "$left" ]; then
        echo "$what: staging left behind: $left"; failures=$((failures + 1))
    elif [ "$(digest "$W/repo")" != "$BEFORE" ]; then
        echo "$what: the index or the site changed"; failures=$((failures + 1))
    else
        echo "$what: exit 2, \"$(grep -m1 "$reason" "$W/failed.log" | cut -c1-160)\"; nothing staged; index and site still at the previous commit: ok"
    fi
}

# A full disk: fill the tmpfs, leaving 16 KiB.
avail=$(df --output=avail -B1 "$MNT" | awk 'NR == 2')
head -c $((avail - 16384)) /dev/zero >"$MNT/filler" 2>/dev/null || true
expect_failed_build "full disk" "No space left on device"
rm -f "$MNT/filler"

# A read-only folder.
mount -o remount,ro "$MNT"
expect_failed_build "read-only folder" "Read-only file system"
mount -o remount,rw "$MNT"

# Room again: a plain build succeeds and equals the clean build of B.
if ! build >"$W/next.log" 2>&1; then
    echo "after: the next build failed:"; tail -5 "$W/next.log"; failures=$((failures + 1))
elif [ "$(digest "$W/repo")" != "$REF_B" ]; then
    echo "after: the site or search differs from a clean build"; failures=$((failures + 1))
else
    echo "after: the next build succeeds and equals a clean build of the new commit: ok"
fi
[ "$failures" = 0 ]
