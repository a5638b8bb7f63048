#!/usr/bin/env bash
# The supply-chain check: `cargo deny check` (advisories, licences, bans, sources; deny.toml)
# against the RustSec advisory database vendored in deny/advisory-db.tar.gz, without network
# access beyond the crate registry (CI machines reach only the package registries).
#
#   scripts/deny.sh                  run the check (installs cargo-deny when missing)
#   scripts/deny.sh --update REPO    replace the vendored database with a clone of
#                                    https://github.com/rustsec/advisory-db at REPO
#
# cargo-deny reads a database as a git repository in a folder named after its URL, and judges
# its age by its last commit: the script makes that repository from the tarball, committed at
# the snapshot's own date (deny/advisory-db.commit), so `maximum-db-staleness` in deny.toml
# fails the check once the snapshot is too old.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=0.20.2
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
# The folder cargo-deny looks for under `db-path` for the URL in deny.toml.
DB_DIR=target/advisory-db/advisory-db-3157b0e258782691

if [ "${1:-}" = "--update" ]; then
    repo=${2:?usage: $0 --update REPO}
    git -C "$repo" archive --format=tar HEAD crates rust LICENSE.txt LICENSES README.md |
        gzip -9 >deny/advisory-db.tar.gz
    git -C "$repo" log -1 --format='%H %cI' HEAD >deny/advisory-db.commit
    echo "vendored advisory-db $(cat deny/advisory-db.commit)"
    exit 0
fi

if ! command -v cargo-deny >/dev/null 2>&1 ||
    [ "$(cargo-deny --version 2>/dev/null)" != "cargo-deny $VERSION" ]; then
    echo "installing cargo-deny $VERSION (a debug build: it only reads a few files, and compiles in about a minute rather than ten)"
    cargo install --quiet --locked --debug --version "$VERSION" cargo-deny
fi

read -r commit date <deny/advisory-db.commit
rm -rf "$DB_DIR"
mkdir -p "$DB_DIR"
tar -xzf deny/advisory-db.tar.gz -C "$DB_DIR"
(
    cd "$DB_DIR"
    git init -q
    git add -A
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git -c user.name=advisory-db \
        -c user.email=advisory-db@localhost commit -q -m "rustsec/advisory-db at $commit"
)
echo "advisory database: rustsec/advisory-db at ${commit:0:12} ($date)"
# The crate sources cargo metadata reads (crates.io only), so the check itself runs offline.
cargo fetch --quiet
cd "$ROOT"
cargo deny --offline check
