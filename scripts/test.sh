#!/usr/bin/env bash
# The whole test suite: every Rust test (unit, integration, snapshots, the server on a real
# port), then the browser end-to-end tests in headless Chromium (scripts/e2e.sh, which installs
# Chromium and its npm packages when they are missing), then the deployment test: the shipped
# nginx site in front of two `casebook serve` replicas (tests/deploy/nginx_replicas.sh, which
# installs Debian's nginx, LemonLDAP::NG and curl when missing; before it tests/deploy/casebook_update.sh, the
# script that updates the replicas' clones, with sudo when run as root; after it
# tests/deploy/release_reproducible.sh, the release tarball), then kill -9 at 5 random moments of builds
# (scripts/faults.sh), a full disk and a read-only folder on a real tmpfs (scripts/full_disk.sh;
# skipped, saying so, where a tmpfs cannot be mounted) and a 60-second soak under load with live rebuilds (scripts/soak.sh,
# which installs wrk when missing). Arguments go to `cargo test`. The PDF tests read their
# output back with poppler's pdftotext, pdfinfo and pdftoppm: Debian's poppler-utils is
# installed when missing (as root or through sudo; without it those checks are skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
    echo "== installing Debian's poppler-utils (the PDF tests read their output with it)"
    if [ "$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; else sudo=false; fi
    { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq poppler-utils >/dev/null; } ||
        echo "warning: poppler-utils not installed; the PDF tests check the bytes only" >&2
fi
echo "== cargo test"
cargo test "$@"
echo "== browser end-to-end tests"
./scripts/e2e.sh
echo "== deployment: the clones' update script, its refusals and sudo"
./tests/deploy/casebook_update.sh
echo "== deployment test (nginx in front of two replicas)"
cargo build --quiet
CASEBOOK=target/debug/casebook ./tests/deploy/nginx_replicas.sh
echo "== deployment: the release tarball, built twice, is the same bytes"
CASEBOOK=target/debug/casebook ./tests/deploy/release_reproducible.sh
echo "== faults: builds killed with -9 at 5 random moments"
./scripts/faults.sh --points 5 --docs 300
echo "== faults: a full disk and a read-only folder on a tmpfs"
./scripts/full_disk.sh
echo "== soak: 60 s of mixed load with a commit every 5 s"
./scripts/soak.sh --quick
