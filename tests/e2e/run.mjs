// Browser end-to-end test of `casebook serve` in headless Chromium (playwright-core).
//
//   node run.mjs BASE_URL OUT_DIR
//
// Walks the analyst's journey twice, with JavaScript on and off:
//   home → search → tick a facet → open a result → agency powers matrix → statistics page,
// saving a screenshot of each page under OUT_DIR. Then scans home, search results, a case
// review, the powers matrix and the statistics page with axe-core (WCAG 2.0–2.2 A and AA plus
// best practice), and every other kind of page the site has, and fails on any serious or
// critical violation; the full report is written to OUT_DIR/axe.json. Exits non-zero on any failure.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error("usage: node run.mjs BASE_URL OUT_DIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const url = (path) => new URL(path, base).toString();

const failures = [];
function check(condition, message) {
  if (!condition) {
    failures.push(message);
    console.error(`FAIL ${message}`);
  }
}

const browser = await chromium.launch({
  executablePath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

/// One walk through the journey; returns the URLs of the pages it visited, by name.
async function journey(javaScriptEnabled) {
  const mode = javaScriptEnabled ? "js-on" : "js-off";
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()} for ${r.url()}`));
  const visited = {};
  const shot = async (name) => {
    visited[name] = page.url();
    await page.screenshot({ path: join(out, `${mode}-${name}.png`), fullPage: true });
  };

  // Home: the header search box.
  const home = await page.goto(url("/"));
  check(home.status() === 200, `${mode}: home answers 200`);
  check((await page.locator("h1").first().textContent()).length > 0, `${mode}: home has a heading`);
  await shot("home");
  await page.fill("#q", "interpreters");
  await Promise.all([page.waitForURL(/\/search\?/), page.press("#q", "Enter")]);
  const heading = page.locator("#results-heading");
  const all = Number((await heading.textContent()).split(" ")[0]);
  check(all > 1, `${mode}: "interpreters" finds several documents (${all})`);
  check((await page.locator("ol.results mark").count()) > 0, `${mode}: snippets are highlighted`);

  // Tick a facet and apply it: fewer results, the box stays ticked.
  const box = page.locator('input[type=checkbox][name="area"]').first();
  const area = await box.getAttribute("value");
  await box.check();
  await Promise.all([page.waitForURL(/area=/), page.click("text=Apply filters")]);
  const filtered = Number((await heading.textContent()).split(" ")[0]);
  check(filtered >= 1 && filtered < all, `${mode}: filtering by area ${area} narrows ${all} to ${filtered}`);
  check(await page.locator(`input[type=checkbox][name="area"][value="${area}"]`).isChecked(), `${mode}: the facet stays ticked`);
  await shot("results");

  if (javaScriptEnabled) {
    // Results as you type: the list follows the query without a page load.
    const before = page.url();
    await page.fill("#results-q", "");
    await page.locator("#results-q").pressSequentially("car wash", { delay: 30 });
    await page.waitForFunction(
      () => /car(\+|%20)wash/.test(location.search),
      null,
      { timeout: 10000 },
    );
    const typed = await page.locator("ol.results li").count();
    check(typed > 0, `${mode}: typing "car wash" shows results without submitting`);
    check(
      (await page.locator("#results-status").textContent()).includes("result"),
      `${mode}: the new count is announced`,
    );
    check(page.url() !== before, `${mode}: the address follows the query`);
    await page.goBack().catch(() => {});
    await page.goto(visited.results);
  }

  // Open the first result: a document page with its marking banner.
  const first = page.locator("ol.results li h3 a").first();
  const title = await first.textContent();
  await Promise.all([page.waitForLoadState("load"), first.click()]);
  await page.waitForURL(/\/(reviews|orders|agencies)\//);
  check((await page.locator("h1").textContent()).length > 0, `${mode}: result page "${title}" has a heading`);
  check((await page.locator(".marking-banner").count()) >= 2, `${mode}: the marking is shown top and bottom`);
  await shot("document");

  // The powers matrix, from the main navigation.
  await Promise.all([page.waitForURL(/\/powers\/$/), page.click('nav[aria-label="Main"] >> text=Powers matrix')]);
  check((await page.locator("table").count()) > 0, `${mode}: the powers matrix is a table`);
  check((await page.locator("table tbody tr").count()) >= 10, `${mode}: the matrix lists the agencies`);
  await shot("matrix");

  // Statistics, from the main navigation.
  await Promise.all([page.waitForURL(/\/statistics\/$/), page.click('nav[aria-label="Main"] >> text=Statistics')]);
  check((await page.locator("svg").count()) > 0, `${mode}: statistics has charts`);
  check((await page.locator("table").count()) > 0, `${mode}: every chart has a table`);
  await shot("statistics");

  check(errors.length === 0, `${mode}: no script errors (${errors.join("; ")})`);
  await context.close();
  return visited;
}

const visited = await journey(true);
await journey(false);

// Accessibility: axe-core injected into each page (bypassing the page's CSP for the scan only).
// The five pages of the journey, then every other kind of page the site has.
const scans = {
  home: url("/"),
  results: visited.results,
  review: url("/reviews/CR-2020-003/"),
  matrix: url("/powers/"),
  statistics: url("/statistics/"),
  "review-list": url("/reviews/"),
  history: url("/reviews/CR-2020-003/history/"),
  order: url("/orders/ORD-2021-002/"),
  agency: url("/agencies/AG-GLAA/"),
  register: url("/register/"),
  "register-by-status": url("/register/by-status/"),
  recommendations: url("/recommendations/"),
  browse: url("/browse/"),
  "browse-area": url("/browse/area/hampshire/"),
  "whats-new": url("/whats-new/"),
  "search-form": url("/search.html"),
  "no-results": url("/search?q=zzzzqqq"),
  "not-found": url("/no-such-page"),
};
const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
const report = {};
for (const [name, target] of Object.entries(scans)) {
  const page = await context.newPage();
  const response = await page.goto(target);
  check(response.status() === (name === "not-found" ? 404 : 200), `axe: ${name} answers as expected`);
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    }),
  );
  const violations = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  report[name] = { url: target, passes: result.passes.length, violations };
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(serious.length === 0, `axe: ${name} has no serious or critical violations (${JSON.stringify(serious)})`);
  console.log(`axe ${name}: ${result.passes.length} rules pass, ${violations.length} violations ${JSON.stringify(violations)}`);
  await page.screenshot({ path: join(out, `axe-${name}.png`), fullPage: true });
  await page.close();
}
writeFileSync(join(out, "axe.json"), JSON.stringify(report, null, 2));
await browser.close();

if (failures.length > 0) {
  console.error(`${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log(`browser journeys (JavaScript on and off) and axe scans passed; screenshots in ${out}`);
