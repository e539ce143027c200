// The offline bundle (issue 24): `trainpack bundle`'s zip, unzipped into a
// folder, opened from file:// as a trainer in a room with no network opens
// it. Every HTML page of the folder is loaded in headless Chromium, and the
// slide decks are stepped through once: no console error, no page error, no
// request outside the folder, no file missing.
//
//   node tests/browser/bundle.mjs UNZIPPED_DIR
//
// Prints one line per page, then "N passed, N failed"; exits non-zero on a
// failure. Called by scripts/browser-test.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const DIR = process.argv[2] ? path.resolve(process.argv[2]) : "";
if (!DIR || !fs.existsSync(path.join(DIR, "index.html")) || !fs.existsSync(path.join(DIR, "README.txt"))) {
  console.error("usage: node tests/browser/bundle.mjs UNZIPPED_DIR   (it must hold index.html and README.txt)");
  process.exit(2);
}
const BASE = pathToFileURL(DIR).href + "/";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Every .html file under `dir`, relative, sorted. */
function htmlFiles(dir, rel = "") {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...htmlFiles(dir, child));
    else if (entry.name.endsWith(".html")) out.push(child);
  }
  return out.sort();
}

/** Whether a request stays inside the unzipped folder. */
function inside(url) {
  if (url.startsWith("data:") || url.startsWith("blob:") || url === "about:blank") return true;
  return url.startsWith(BASE);
}

async function main() {
  const tally = { passed: 0, failed: 0 };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15000);
    const problems = [];
    const watch = (page) => {
      page.on("request", (r) => { if (!inside(r.url())) problems.push(`request outside the bundle: ${r.url()}`); });
      page.on("requestfailed", (r) => {
        if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`);
      });
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
      page.on("pageerror", (e) => problems.push(`page error: ${e}`));
    };
    context.on("page", watch);
    const page = await context.newPage();
    const pages = htmlFiles(DIR);
    for (const rel of pages) {
      problems.length = 0;
      await page.goto(BASE + rel, { waitUntil: "load" });
      if (rel.endsWith("slides.html")) {
        // Through the deck and back, as a trainer presents it.
        for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
        await page.keyboard.press("Home");
      }
      await page.waitForTimeout(50);
      if (problems.length) {
        tally.failed++;
        console.log(`FAIL file:// ${rel}\n  ${problems.join("\n  ")}`);
      } else {
        tally.passed++;
        console.log(`ok   file:// ${rel}`);
      }
    }
    if (pages.length < 2) {
      tally.failed++;
      console.log(`FAIL the bundle holds ${pages.length} HTML page(s)`);
    }
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed ? 1 : 0;
}

main().catch((error) => {
  console.error(`FAIL the bundle test broke: ${error && error.stack || error}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
