#!/usr/bin/env bash
# Builds the release tarball for operators: the `casebook` binary, the deployment files (units,
# nginx site and sign-on files, the hook, the update script and its settings) and the
# operator's guide (deploy/README.md), the licence of the fonts inside the binary (licences/), with
# a SHA256SUMS file listing every other file.
#
#   deploy/release.sh [--binary PATH] [--rev REV] [--out DIR]
#
#   --binary PATH  package this binary instead of building one (`cargo build --release
#                  --locked`); the deployment files still come from REV. The caller vouches
#                  that PATH was built from REV.
#   --rev REV      the commit whose deployment files are packaged (default HEAD). Without
#                  --binary, REV must be HEAD and the working tree must hold no uncommitted
#                  change to tracked files, since cargo builds the working tree.
#   --out DIR      where the tarball goes (default target/dist)
#
# The tarball is reproducible: the same commit and the same binary give the same bytes.
# Every entry has the commit's time as its mtime (SOURCE_DATE_EPOCH, taken from the commit
# unless already set), owner and group 0, fixed modes (0755 for the binary, the scripts and the
# folders, 0644 for the rest) and a sorted place in the archive; gzip records no name or time
# (-n). The files come from the commit (git show), never from the working tree.
# tests/deploy/release_reproducible.sh builds it twice and compares the bytes.
#
# Writes DIR/casebook-VERSION-ARCH-linux.tar.gz (VERSION from Cargo.toml at REV, ARCH from
# uname -m) and, next to it, the tarball's own .sha256.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
    echo "release: $*" >&2
    exit 1
}

binary='' rev=HEAD out=target/dist
while [ "$#" -gt 0 ]; do
    case $1 in
    --binary) binary=${2:?--binary needs a path} && shift 2 ;;
    --rev) rev=${2:?--rev needs a commit} && shift 2 ;;
    --out) out=${2:?--out needs a folder} && shift 2 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done

commit=$(git rev-parse --verify --quiet "$rev^{commit}") || die "no commit '$rev'"
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct "$commit")}"
export SOURCE_DATE_EPOCH
version=$(git show "$commit:Cargo.toml" | sed -n '/^\[package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$version" ] || die "no version in Cargo.toml's [package] at $commit"
name=casebook-$version-$(uname -m)-linux

# The files, as (path in the commit, mode). The binary is added separately.
files=(
    deploy/README.md 0644
    deploy/casebook.service 0644
    deploy/casebook-pull.service 0644
    deploy/casebook-pull.timer 0644
    deploy/post-receive 0755
    deploy/casebook-update 0755
    deploy/casebook-update.conf 0644
    deploy/nginx/casebook.conf 0644
    deploy/nginx/casebook-sso-lemonldap-ng.conf 0644
    deploy/nginx/casebook-sso-oauth2-proxy.conf 0644
    licences/NotoSans-OFL.txt 0644
)

if [ -z "$binary" ]; then
    [ "$commit" = "$(git rev-parse HEAD)" ] || die "--rev other than HEAD needs --binary (cargo builds the working tree)"
    if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
        git status --short --untracked-files=no >&2
        die "uncommitted changes to tracked files (above): commit them, or pass --binary"
    fi
    echo "== cargo build --release --locked"
    cargo build --release --locked
    binary=target/release/casebook
fi
if [ ! -f "$binary" ] || [ ! -x "$binary" ]; then die "no executable binary at $binary"; fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/casebook-release.XXXXXX")
trap 'rm -rf "$stage"' EXIT
top=$stage/$name
mkdir -p "$top/deploy/nginx" "$top/licences"
install -m 0755 "$binary" "$top/casebook"
for ((i = 0; i < ${#files[@]}; i += 2)); do
    path=${files[i]}
    git show "$commit:$path" >"$top/$path" 2>/dev/null || die "$path is not in $commit"
    chmod "${files[i + 1]}" "$top/$path"
done
(cd "$top" && find . -type f | sed 's#^\./##' | LC_ALL=C sort | xargs -d '\n' sha256sum) >"$stage/SHA256SUMS"
install -m 0644 "$stage/SHA256SUMS" "$top/SHA256SUMS"
find "$top" -type d -exec chmod 0755 {} +
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
tarball=$out/$name.tar.gz
LC_ALL=C tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 \
    --numeric-owner --mode=go-w -C "$stage" -cf - "$name" | gzip -n -9 >"$tarball.tmp"
mv "$tarball.tmp" "$tarball"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "release: $tarball ($(git log -1 --format=%h "$commit"), $(date -u -d "@$SOURCE_DATE_EPOCH" +%FT%TZ))"
cat "$tarball.sha256"
