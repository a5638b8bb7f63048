#!/usr/bin/env bash
# The whole test suite: every Rust test (unit, integration, snapshots, the server on a real
# port), then the browser end-to-end tests in headless Chromium (scripts/e2e.sh, which installs
# Chromium and its npm packages when they are missing). Arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo test"
cargo test "$@"
echo "== browser end-to-end tests"
./scripts/e2e.sh
