#!/usr/bin/env bash
# Accessibility audit of the built sample site with axe-core in headless Chromium (WCAG 2.0/2.1/2.2
# A and AA rules plus best practices). Needs Debian's chromium and npm; installs axe-core and
# playwright-core into a temporary folder. Usage: scripts/a11y.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "install Debian's chromium first (apt-get install chromium)" >&2; exit 2; }
cargo run --quiet --release -- build >/dev/null 2>&1 || { echo "casebook build failed" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
(cd "$WORK" && npm init -y >/dev/null && npm install --silent axe-core@4 playwright-core@1 >/dev/null)
python3 -m http.server 8799 --bind 127.0.0.1 -d public >/dev/null 2>&1 &
SERVER=$!
sleep 1
cat > "$WORK/audit.js" <<'JS'
const { chromium } = require('playwright-core');
const axe = require('fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  let total = 0;
  for (const url of process.argv.slice(2)) {
    await page.goto(url);
    await page.addScriptTag({ content: axe });
    const r = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
    for (const v of r.violations) { total++; console.log(`${url} [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length})`); }
  }
  console.log(`${process.argv.length - 2} pages, ${total} violations`);
  await browser.close();
  process.exit(total === 0 ? 0 : 1);
})();
JS
B=http://127.0.0.1:8799
cd "$WORK" && node audit.js $B/ $B/reviews/ $B/reviews/CR-2020-003/ $B/reviews/CR-2020-003/history/ \
  $B/orders/ORD-2021-002/ $B/agencies/AG-GLAA/ $B/powers/ $B/register/ $B/register/by-status/ \
  $B/recommendations/ $B/statistics/ $B/browse/ $B/browse/area/hampshire/ $B/whats-new/ $B/search.html $B/404.html
