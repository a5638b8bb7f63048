#!/usr/bin/env bash
# Test of deploy/release.sh: builds the release tarball twice from HEAD with the same binary,
# under different umasks, time zones and temporary folders, and checks:
#   - the two tarballs are the same bytes, and the .sha256 next to each verifies it;
#   - gzip recorded no file name and no time;
#   - the entries are exactly the expected files, in sorted order, owned by 0/0, with the
#     commit's time as their mtime and fixed modes (0755 for the binary, the scripts and the
#     folders, 0644 for the rest);
#   - unpacked, SHA256SUMS lists every other file and verifies; the deployment files are the
#     committed ones; the binary is the one given, and it runs (`casebook --version`);
#   - release.sh refuses to build a binary for another commit than HEAD, and unknown arguments.
#
# It never builds: the binary is $CASEBOOK (default target/debug/casebook), copied first (it may
# be rebuilt meanwhile) and stripped of its debugging symbols when `strip` is installed, which
# makes the two gzip runs a few seconds instead of a minute. A temporary folder holds
# everything and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
casebook=${CASEBOOK:-target/debug/casebook}
started=$SECONDS
[ -x "$casebook" ] || { echo "error: no casebook binary at $casebook (cargo build, or set CASEBOOK)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/casebook-release-test.XXXXXX")
cleanup() {
    local rc=$?
    trap - EXIT
    rm -rf "$work"
    echo "== $((SECONDS - started)) s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
passed=0
ok() {
    passed=$((passed + 1))
    echo "ok $passed - $*"
}
fail() {
    echo "FAIL - $*" >&2
    exit 1
}

cp "$casebook" "$work/casebook"
if command -v strip >/dev/null; then strip "$work/casebook"; fi
version=$(sed -n '/^\[package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)
name=casebook-$version-$(uname -m)-linux
epoch=$(git log -1 --format=%ct HEAD)

echo "== two builds of $name from $(git log -1 --format=%h HEAD)"
mkdir "$work/tmp1" "$work/tmp2"
(umask 022 && env -u SOURCE_DATE_EPOCH TZ=UTC TMPDIR="$work/tmp1" \
    deploy/release.sh --binary "$work/casebook" --out "$work/out1") >"$work/build1.log" 2>&1 ||
    fail "the first build failed: $(cat "$work/build1.log")"
(umask 077 && env -u SOURCE_DATE_EPOCH TZ=Pacific/Auckland TMPDIR="$work/tmp2" \
    deploy/release.sh --binary "$work/casebook" --out "$work/out2") >"$work/build2.log" 2>&1 ||
    fail "the second build failed: $(cat "$work/build2.log")"
t1=$work/out1/$name.tar.gz
t2=$work/out2/$name.tar.gz
if [ ! -f "$t1" ] || [ ! -f "$t2" ]; then fail "no $name.tar.gz in the output folders: $(ls -R "$work"/out*)"; fi
cmp -s "$t1" "$t2" || fail "the two builds differ: $(cmp "$t1" "$t2")"
ok "two builds give the same bytes ($(sha256sum "$t1" | cut -c1-16)…, $(wc -c <"$t1") bytes)"
for d in out1 out2; do
    (cd "$work/$d" && sha256sum --quiet -c "$name.tar.gz.sha256") || fail "$d/$name.tar.gz.sha256 does not verify"
done
ok "the .sha256 next to each tarball verifies it"
read -r -a header < <(od -An -tu1 -N8 "$t1")
[ $((header[3] & 8)) = 0 ] || fail "gzip recorded a file name"
[ "${header[4]}${header[5]}${header[6]}${header[7]}" = 0000 ] || fail "gzip recorded a time: ${header[*]}"
ok "gzip recorded no file name and no time"

# The listing: "MODE OWNER/GROUP SIZE DATE TIME PATH".
TZ=UTC tar -tvzf "$t1" --numeric-owner --full-time >"$work/listing"
when=$(TZ=UTC date -d "@$epoch" '+%F %T')
expected="d rwxr-xr-x $name/
- rw-r--r-- $name/SHA256SUMS
- rwxr-xr-x $name/casebook
d rwxr-xr-x $name/deploy/
- rw-r--r-- $name/deploy/README.md
- rw-r--r-- $name/deploy/casebook-pull.service
- rw-r--r-- $name/deploy/casebook-pull.timer
- rwxr-xr-x $name/deploy/casebook-update
- rw-r--r-- $name/deploy/casebook-update.conf
- rw-r--r-- $name/deploy/casebook.service
d rwxr-xr-x $name/deploy/nginx/
- rw-r--r-- $name/deploy/nginx/casebook-sso-lemonldap-ng.conf
- rw-r--r-- $name/deploy/nginx/casebook-sso-oauth2-proxy.conf
- rw-r--r-- $name/deploy/nginx/casebook.conf
- rwxr-xr-x $name/deploy/post-receive
d rwxr-xr-x $name/licences/
- rw-r--r-- $name/licences/NotoSans-OFL.txt"
actual=$(awk '{ print substr($1, 1, 1), substr($1, 2), $6 }' "$work/listing")
[ "$actual" = "$expected" ] || fail "the entries differ from the expected ones:
$(diff <(echo "$expected") <(echo "$actual"))"
ok "the entries are the binary, the deployment files, the font licence and SHA256SUMS, sorted, with fixed modes"
awk '$2 != "0/0"' "$work/listing" | grep . && fail "entries not owned by 0/0 (above)"
awk -v when="$when" '$4 " " $5 != when' "$work/listing" | grep . && fail "entries whose mtime is not the commit's, $when (above)"
ok "every entry is owned by 0/0 and dated $when UTC, the commit's time"

mkdir "$work/unpacked"
tar -xzf "$t1" -C "$work/unpacked"
top=$work/unpacked/$name
(cd "$top" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not verify"
listed=$(awk '{ print $2 }' "$top/SHA256SUMS")
present=$(cd "$top" && find . -type f ! -name SHA256SUMS | sed 's#^\./##' | LC_ALL=C sort)
[ "$listed" = "$present" ] || fail "SHA256SUMS does not list exactly the other files: $(diff <(echo "$listed") <(echo "$present"))"
ok "SHA256SUMS lists every other file and verifies"
while read -r _ path; do
    [ "$path" = casebook ] && continue
    git show "HEAD:$path" | cmp -s - "$top/$path" || fail "$path differs from the committed file"
done <"$top/SHA256SUMS"
ok "the deployment files are the committed ones"
cmp -s "$work/casebook" "$top/casebook" || fail "the packaged binary is not the one given"
out=$("$top/casebook" --version 2>&1) || fail "the packaged binary does not run: $out"
[ "$out" = "casebook $version" ] || fail "the packaged binary says '$out', not 'casebook $version'"
ok "the packaged binary is the one given, and runs ($out)"

rc=0
out=$(deploy/release.sh --rev HEAD~1 --out "$work/refused" 2>&1) || rc=$?
if [ "$rc" != 1 ] || ! grep -qF 'needs --binary' <<<"$out"; then fail "--rev HEAD~1 without --binary: exit $rc: $out"; fi
rc=0
out=$(deploy/release.sh --frobnicate 2>&1) || rc=$?
if [ "$rc" != 1 ] || ! grep -qF 'unknown argument' <<<"$out"; then fail "an unknown argument: exit $rc: $out"; fi
[ ! -e "$work/refused" ] || fail "a refused build wrote something"
ok "release.sh refuses a build for another commit than HEAD without --binary, and unknown arguments"

echo "release: $passed passed, 0 failed"
