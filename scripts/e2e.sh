#!/usr/bin/env bash
# Browser end-to-end tests: `casebook serve` on a copy of the sample knowledge base, driven in
# headless Chromium by tests/e2e/run.mjs (playwright-core), with JavaScript on and off, plus an
# axe-core accessibility scan. Screenshots and the axe report go to target/e2e/.
#
# Installs what is missing: Debian's chromium (apt-get, as root or through sudo) and the pinned
# npm packages of tests/e2e (npm ci). Set CHROMIUM to use another Chromium binary.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "error: $* needs root; install it by hand" >&2
        return 1
    fi
}

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "== installing Debian's chromium (not found at $chromium)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "== installing Node.js and npm"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
    echo "== npm ci (tests/e2e)"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== building casebook"
cargo build --quiet
bin=$root/target/debug/casebook

work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

cp -r knowledge "$work/knowledge"
printf '/.casebook/\n/public*/\n' >"$work/.gitignore"
git -C "$work" init -q
git -C "$work" add -A
git -C "$work" -c user.name=E2E -c user.email=e2e@example.org commit -q -m "sample knowledge base"

log=$work/serve.log
(cd "$work" && CASEBOOK_TODAY=2026-11-29 exec "$bin" serve --bind 127.0.0.1:0) 2>"$log" &
server=$!
addr=
for _ in $(seq 1 600); do
    addr=$(sed -n 's#^serving on http://\([^/]*\)/.*#\1#p' "$log")
    [ -n "$addr" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "error: serve exited" >&2; exit 1; }
    sleep 0.2
done
[ -n "$addr" ] || { cat "$log" >&2; echo "error: serve did not start" >&2; exit 1; }
echo "== serving the sample at http://$addr/"

out=$root/target/e2e
rm -rf "$out"
mkdir -p "$out"
# The periodic report of the month the sample was committed, for the partnership and for the
# public, as the files a coordinator sends: the browser tests open them too.
month=$(git -C "$work" log -1 --format=%cd --date=format:%Y-%m)
(cd "$work" && "$bin" report --period "$month" --out "$out/report.html")
(cd "$work" && "$bin" report --period "$month" --audience public --out "$out/report-public.html")
CHROMIUM=$chromium REPORTS="$out/report.html $out/report-public.html" node tests/e2e/run.mjs "http://$addr/" "$out"
