#!/usr/bin/env node
// Real-browser end-to-end tests of a site built by `trainpack build`.
//
//   node tests/browser/run.mjs SITE_DIR
//
// Serves SITE_DIR over HTTP on 127.0.0.1 under a sub-path (/cptm/), opens it
// in headless Chromium (/usr/bin/chromium, through playwright-core), then
// opens it again from file://, and checks links, search, the slide deck and
// its presenter view (presenter.mjs), answers, print, requests, console
// errors, accessibility (axe-core), phone widths, page weight and
// screenshots; with RTL_SITE, a right-to-left deck too. One line per check, then a summary;
// exits 1 when any check fails. See README.md beside this file.
//
// Environment:
//   SCREENSHOTS   folder for the screenshots (default /tmp/trainpack-screens)
//   CHROMIUM      the browser (default /usr/bin/chromium)
//   SUBPATH       the sub-path the site is served under (default /cptm/)
//   RTL_SITE      a site of a right-to-left pack, for the RTL checks

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { presenterChecks, presenterRtlChecks } from "./presenter.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE_PATH = require.resolve("axe-core/axe.min.js");

const SITE = process.argv[2] ? path.resolve(process.argv[2]) : "";
if (!SITE || !fs.existsSync(path.join(SITE, "index.html"))) {
  console.error("usage: node tests/browser/run.mjs SITE_DIR   (SITE_DIR must hold index.html)");
  process.exit(2);
}
const SHOTS = path.resolve(process.env.SCREENSHOTS || "/tmp/trainpack-screens");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SUBPATH = ("/" + (process.env.SUBPATH || "/cptm/") + "/").replace(/\/+/g, "/");
const WEIGHT_LIMIT = 150 * 1000; // bytes: "under 150 kB"
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };
// The network here is closed; without these flags Chromium tries to reach Google.
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const STARTED = Date.now();

// ---------------------------------------------------------------- reporting

const tally = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const notes = [];

function line(status, mode, where, what, detail) {
  const head = `${status.padEnd(4)} ${mode.padEnd(5)} ${where.padEnd(44)} ${what}`;
  const text = detail ? `${head}\n${indent(detail)}` : head;
  console.log(text);
  return text;
}
function indent(text) {
  return String(text).split("\n").map((l) => "       " + l).join("\n");
}
function pass(mode, where, what, info) {
  tally.passed++;
  line("ok", mode, where, what + (info ? `  (${info})` : ""));
}
function fail(mode, where, what, evidence) {
  tally.failed++;
  failures.push(line("FAIL", mode, where, what, evidence));
}
function skip(mode, where, what, why) {
  tally.skipped++;
  line("skip", mode, where, what + (why ? `  (${why})` : ""));
}
function note(text) {
  notes.push(text);
  console.log(`note ${text}`);
}
class CheckError extends Error {}
/** Throws a readable failure: `expect(found === wanted, "wanted …, found …")`. */
function expect(condition, message) {
  if (!condition) throw new CheckError(message);
}
/** Runs one check; a thrown CheckError (or any error) is a failure with its message. */
async function check(mode, where, what, fn) {
  try {
    const info = await fn();
    pass(mode, where, what, typeof info === "string" ? info : "");
    return true;
  } catch (error) {
    const raw = error instanceof CheckError ? error.message : `${error && error.stack || error}`;
    const message = raw.replace(/\u001b\[[0-9;]*m/g, "");
    fail(mode, where, what, message.split("\n").slice(0, 25).join("\n"));
    return false;
  }
}
function section(title) {
  console.log(`\n== ${title}`);
}

// ------------------------------------------------------------ static server

const TYPES = {
  ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
  ".map": "application/json", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml",
  ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
  ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
  ".pdf": "application/pdf", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
  ".otf": "font/otf", ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg",
};
/** Every request the server saw: {path, status}. */
const served = [];

function startServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let status = 200;
    const send = (code, type, body, extra = {}) => {
      status = code;
      res.writeHead(code, { "Content-Type": type, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", ...extra });
      res.end(req.method === "HEAD" ? undefined : body);
      served.push({ path: url.pathname, status });
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "method not allowed");
    if (url.pathname === SUBPATH.slice(0, -1)) return send(301, "text/plain", "", { Location: SUBPATH });
    if (!url.pathname.startsWith(SUBPATH)) return send(404, "text/plain", "outside the site's sub-path");
    let rel;
    try { rel = decodeURIComponent(url.pathname.slice(SUBPATH.length)); } catch { return send(400, "text/plain", "bad path"); }
    const file = path.join(SITE, rel);
    if (file !== SITE && !file.startsWith(SITE + path.sep)) return send(403, "text/plain", "forbidden");
    let stat;
    try { stat = fs.statSync(file); } catch { return send(404, "text/plain", "not found"); }
    if (stat.isDirectory()) {
      if (!url.pathname.endsWith("/")) return send(301, "text/plain", "", { Location: url.pathname + "/" });
      const index = path.join(file, "index.html");
      if (!fs.existsSync(index)) return send(404, "text/plain", "no index.html");
      return send(200, TYPES[".html"], fs.readFileSync(index));
    }
    const type = TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
    send(200, type, fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// --------------------------------------------------------------- utilities

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const stripHash = (u) => u.split("#")[0];
const stripQuery = (u) => u.split("#")[0].split("?")[0];
const short = (s, n = 160) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/** A mode: how the site is opened (over HTTP under a sub-path, or from disk). */
function makeMode(name, base) {
  return {
    name,
    base, // ends with "/"
    /** The site-relative path of a URL inside the site, or null. */
    rel(url) {
      const clean = stripQuery(url);
      return clean.startsWith(base) ? decodeURIComponent(clean.slice(base.length)) : null;
    },
    url(rel) { return base + rel; },
    /** Whether a request URL is allowed: this site only (and data:). */
    allowed(url) {
      if (url.startsWith("data:") || url === "about:blank") return true;
      if (name === "file") return url.startsWith("file:");
      return url.startsWith(base);
    },
  };
}

/** Records requests, failed responses, console errors and page errors for a context, keyed by page. */
function instrument(context, mode, log) {
  const keyOf = (page) => {
    try { return mode.rel(page.url()) ?? page.url(); } catch { return "?"; }
  };
  const attach = (page) => {
    page.on("request", (request) => {
      // A navigation belongs to the page it opens, not to the one it leaves.
      const key = request.isNavigationRequest() && request.frame() === page.mainFrame() ? (mode.rel(request.url()) ?? request.url()) : keyOf(page);
      log.push({ kind: "request", page: key, url: request.url(), type: request.resourceType() });
    });
    page.on("requestfailed", (request) => {
      const url = request.url();
      const missingPdf = /\.pdf$/i.test(stripQuery(url)) && mode.rel(url) && !fs.existsSync(path.join(SITE, mode.rel(url)));
      if (!missingPdf && request.failure()?.errorText !== "net::ERR_ABORTED")
        log.push({ kind: "failed", page: keyOf(page), url, text: request.failure()?.errorText || "failed" });
    });
    page.on("response", (response) => {
      if (response.status() >= 400) log.push({ kind: "failed", page: keyOf(page), url: response.url(), text: `HTTP ${response.status()}` });
    });
    page.on("console", (msg) => {
      if (msg.type() === "error") log.push({ kind: "console", page: keyOf(page), text: `${msg.text()} ${msg.location()?.url ? "at " + msg.location().url + ":" + msg.location().lineNumber : ""}` });
    });
    page.on("pageerror", (error) => {
      log.push({ kind: "pageerror", page: keyOf(page), text: String(error && error.stack || error) });
    });
  };
  context.on("page", attach);
  for (const page of context.pages()) attach(page);
}

async function newContext(browser, mode, log, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "light", ...options });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  instrument(context, mode, log);
  return context;
}

async function open(page, mode, rel) {
  const response = await page.goto(mode.url(rel), { waitUntil: "load" });
  return response;
}

// ------------------------------------------------------------------- crawl

/**
 * Follows every <a href> from index.html. Returns {pages: Map(rel -> {title, h1, kind, ids, links})}.
 * Checks: each page loads (200 / exists), each same-site link target exists,
 * each #fragment exists on its target page, and every HTML file is reachable.
 */
async function crawl(browser, mode, log) {
  section(`${mode.name}: links (crawl from index.html, base ${mode.base})`);
  const context = await newContext(browser, mode, log);
  const page = await context.newPage();
  const pages = new Map();
  const queue = ["index.html"];
  const seen = new Set(queue);
  const fragments = []; // {from, target, id, href}
  const external = new Set();
  const resourceCache = new Map();
  const missingPdfs = new Map(); // target -> [pages linking to it]

  async function resourceExists(rel) {
    if (resourceCache.has(rel)) return resourceCache.get(rel);
    let result;
    let head = null;
    if (mode.name === "file") {
      const file = path.join(SITE, rel);
      result = fs.existsSync(file) && fs.statSync(file).isFile() ? { ok: true } : { ok: false, why: fs.existsSync(file) ? "is a folder (file:// shows no index.html)" : "no such file" };
      if (result.ok) head = fs.readFileSync(file).subarray(0, 8);
    } else {
      const response = await fetch(mode.url(rel), { redirect: "manual" });
      const body = Buffer.from(await response.arrayBuffer());
      result = response.status === 200 ? { ok: true } : { ok: false, why: `HTTP ${response.status}` };
      head = body.subarray(0, 8);
    }
    // A linked PDF must be a PDF, not an empty or placeholder file.
    if (result.ok && /\.pdf$/i.test(rel) && !(head && head.toString("latin1").startsWith("%PDF-")))
      result = { ok: false, why: `not a PDF (starts with ${JSON.stringify(head ? head.toString("latin1") : "")})` };
    resourceCache.set(rel, result);
    return result;
  }

  while (queue.length) {
    const rel = queue.shift();
    let info = null;
    await check(mode.name, rel, "page loads", async () => {
      const response = await open(page, mode, rel);
      if (mode.name === "http") expect(response && response.status() === 200, `status ${response && response.status()}`);
      else expect(fs.existsSync(path.join(SITE, rel)), "file missing");
      info = await page.evaluate(() => ({
        title: document.title,
        h1: (document.querySelector("h1") || {}).textContent || "",
        kind: (document.body.className.match(/tp-kind-([\w-]+)/) || [])[1] || "",
        ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id).concat(Array.from(document.querySelectorAll("a[name]"), (e) => e.name)),
        links: Array.from(document.querySelectorAll("a[href]"), (a) => ({ href: a.getAttribute("href"), abs: a.href, text: a.textContent.trim().replace(/\s+/g, " ") })),
      }));
      expect(info.title.trim(), "empty <title>");
      expect(info.h1.trim(), "no <h1>");
      return `${info.kind}: "${short(info.h1.trim(), 60)}", ${info.links.length} links`;
    });
    if (!info) continue;
    pages.set(rel, info);
    await check(mode.name, rel, "ids are unique", async () => {
      const seenIds = new Set();
      const dup = new Set(info.ids.filter((id) => seenIds.has(id) || !seenIds.add(id)));
      expect(!dup.size, `duplicate id(s): ${[...dup].join(", ")}`);
      return `${info.ids.length} ids`;
    });

    const broken = [];
    const skippedPdf = [];
    let local = 0;
    for (const link of info.links) {
      const targetRel = mode.rel(link.abs);
      if (targetRel === null) {
        if (mode.name === "http" && link.abs.startsWith(new URL(mode.base).origin)) broken.push(`${link.href} → leaves the sub-path ${SUBPATH} (${link.abs})`);
        else if (/^https?:/.test(link.abs)) external.add(link.abs);
        else if (!/^(mailto|tel):/.test(link.abs)) broken.push(`${link.href} → unexpected URL ${link.abs}`);
        continue;
      }
      local++;
      const hash = link.abs.includes("#") ? decodeURIComponent(link.abs.slice(link.abs.indexOf("#") + 1)) : "";
      const target = targetRel === "" ? "index.html" : targetRel;
      if (/\.html?$/i.test(target) || targetRel === "" || targetRel.endsWith("/")) {
        if (mode.name === "file" && (targetRel === "" || targetRel.endsWith("/"))) {
          broken.push(`${link.href} → a folder: from file:// that shows a file listing, not a page`);
          continue;
        }
        const resolved = targetRel.endsWith("/") ? targetRel + "index.html" : target;
        if (!fs.existsSync(path.join(SITE, resolved))) {
          broken.push(`${link.href} → ${resolved}: no such page`);
          continue;
        }
        if (hash) fragments.push({ from: rel, target: resolved, id: hash, href: link.href });
        if (!seen.has(resolved)) { seen.add(resolved); queue.push(resolved); }
      } else {
        const exists = await resourceExists(target);
        if (!exists.ok) {
          if (/\.pdf$/i.test(target) && !fs.existsSync(path.join(SITE, target))) skippedPdf.push(target);
          else broken.push(`${link.href} → ${target}: ${exists.why}`);
        }
      }
    }
    for (const pdf of skippedPdf) missingPdfs.set(pdf, [...(missingPdfs.get(pdf) || []), rel]);
    await check(mode.name, rel, "every same-site link target exists", async () => {
      expect(!broken.length, `${broken.length} broken link(s):\n` + broken.join("\n"));
      return `${local} same-site links${skippedPdf.length ? `, ${skippedPdf.length} missing .pdf skipped` : ""}`;
    });
  }

  for (const [pdf, from] of missingPdfs) skip(mode.name, pdf, "PDF link target exists", `not built yet, known gap; linked from ${new Set(from).size} page(s)`);
  if (missingPdfs.size) note(`${mode.name}: ${missingPdfs.size} linked .pdf file(s) are not in the site yet (the PDF stage): their links were skipped`);
  await check(mode.name, "(site)", "every #fragment link points at an existing id", async () => {
    const bad = fragments.filter((f) => !pages.get(f.target) || !pages.get(f.target).ids.includes(f.id));
    expect(!bad.length, bad.map((f) => `${f.from}: ${f.href} → no id="${f.id}" on ${f.target}`).join("\n"));
    return `${fragments.length} fragment links`;
  });
  await check(mode.name, "(site)", "every HTML file of the site is reachable from index.html", async () => {
    const all = walk(SITE).filter((f) => /\.html$/.test(f)).map((f) => path.relative(SITE, f).split(path.sep).join("/"));
    const orphans = all.filter((f) => !pages.has(f));
    expect(!orphans.length, "not linked from any page: " + orphans.join(", "));
    return `${pages.size} pages`;
  });
  if (external.size) note(`${mode.name}: ${external.size} external links (not followed: no network): ${short([...external].join(" "), 300)}`);
  await context.close();
  return pages;
}

// ------------------------------------------------------- click navigation

async function clickTo(page, mode, locator, wantRel, description) {
  const where = mode.rel(page.url()) || page.url();
  await check(mode.name, where, `click ${description} → ${wantRel}`, async () => {
    const count = await locator.count();
    expect(count > 0, `no such link on the page (${locator})`);
    await Promise.all([page.waitForURL((u) => mode.rel(u.href) === wantRel, { timeout: 5000 }).catch(() => {}), locator.first().click({ timeout: 5000 })]);
    await page.waitForLoadState("load");
    const now = mode.rel(page.url());
    expect(now === wantRel, `landed on ${page.url()}, wanted ${mode.url(wantRel)}`);
    const h1 = ((await page.locator("h1").first().textContent()) || "").trim();
    expect(h1, "the page has no <h1>");
    return `h1 "${short(h1, 50)}"`;
  });
}

// A pack in several languages has a site per language: the main one at the
// root and each other in a folder of its own ("fr/"), each with its home.
function languageRoots(pages) {
  return [...pages.entries()]
    .filter(([rel, p]) => p.kind === "home" && rel.endsWith("index.html"))
    .map(([rel]) => rel.slice(0, -"index.html".length))
    .sort((a, b) => b.length - a.length);
}

function rootOf(roots, rel) {
  return roots.find((r) => rel.startsWith(r)) ?? "";
}

async function navigation(browser, mode, log, pages) {
  section(`${mode.name}: navigation by clicking`);
  const context = await newContext(browser, mode, log);
  const page = await context.newPage();
  const roots = languageRoots(pages);
  const ofKind = (kind) => [...pages.entries()].filter(([, p]) => p.kind === kind).map(([rel]) => rel);
  const modules = ofKind("module");
  const handouts = ofKind("handout");
  const quizzes = ofKind("quiz");
  const keys = ofKind("answer-key");
  const decks = ofKind("slides");
  await check(mode.name, "(site)", "the site has every page kind", async () => {
    const kinds = new Set([...pages.values()].map((p) => p.kind));
    const missing = ["home", "module", "slides", "handout", "quiz", "answer-key", "schedule", "search"].filter((k) => !kinds.has(k));
    expect(!missing.length, "no page of kind: " + missing.join(", "));
    return `${roots.length} language(s), ${modules.length} module(s), ${handouts.length} handout(s), ${quizzes.length} quiz(zes), ${keys.length} answer key(s)`;
  });
  const fromHome = async (rel, description, selector) => {
    const homeRel = rootOf(roots, rel) + "index.html";
    const home = pages.get(homeRel);
    await open(page, mode, homeRel);
    const link = home.links.find((l) => mode.rel(l.abs) === rel);
    const locator = page.locator(selector || `main a[href="${link ? link.href : rel}"]`);
    await clickTo(page, mode, locator, rel, description);
  };
  for (const rel of modules) await fromHome(rel, `module card title`, `.tp-card-title a[href$="${path.posix.relative(rootOf(roots, rel), rel)}"]`);
  for (const rel of handouts) await fromHome(rel, `handout "${pages.get(rel).h1.trim()}"`);
  for (const rel of quizzes) await fromHome(rel, `quiz link`);
  for (const rel of keys) await fromHome(rel, `answer key link`);
  for (const schedule of ofKind("schedule")) {
    const local = path.posix.relative(rootOf(roots, schedule), schedule);
    await fromHome(schedule, "course schedule button", `.tp-hero a[href$="${local}"]`);
  }
  for (const rel of modules) {
    const root = rootOf(roots, rel);
    await open(page, mode, rel);
    for (const deck of decks.filter((d) => path.posix.dirname(d) === path.posix.dirname(rel)))
      await clickTo(page, mode, page.locator(`.tp-page-head a[href$="${path.posix.basename(deck)}"]`), deck, "slide deck button");
    await clickTo(page, mode, page.locator(".tp-deck-back"), rel, "deck's back link");
    for (const key of keys.filter((k) => path.posix.dirname(k) === path.posix.dirname(rel))) {
      await open(page, mode, rel);
      await clickTo(page, mode, page.locator(`.tp-page-head a[href$="${path.posix.basename(key)}"]`), key, "module answer key button");
    }
    for (const handout of handouts.filter((h) => h.startsWith(path.posix.dirname(rel) + "/"))) {
      await open(page, mode, rel);
      await clickTo(page, mode, page.locator(`.tp-glance a[href$="${path.posix.basename(handout)}"]`), handout, `guide's handout link "${pages.get(handout).h1.trim()}"`);
    }
    await open(page, mode, rel);
    await clickTo(page, mode, page.locator(".tp-header a.tp-brand"), root + "index.html", "header brand");
    // The language switcher leads to the same module in each other language.
    for (const other of roots.filter((r) => r !== root)) {
      const twin = other + rel.slice(root.length);
      if (!pages.has(twin)) continue;
      await open(page, mode, rel);
      await clickTo(page, mode, page.locator(`.tp-langs a[href$="${path.posix.relative(other, twin)}"]`).first(), twin, "language switcher");
    }
  }
  // Header nav from a deep page of each language: schedule, answer key,
  // search; the modules menu.
  for (const root of roots) {
    const local = modules.filter((m) => rootOf(roots, m) === root);
    if (!local.length) continue;
    const deep = local[0];
    // (The nav's "Search" link is hidden by design where the header has a search box.)
    for (const [label, kind] of [["schedule", "schedule"], ["answer key", "answer-key"]]) {
      const target = [...pages.entries()].find(([r, p]) => p.kind === kind && r.startsWith(root) && !r.slice(root.length).includes("/"));
      if (!target) continue;
      await open(page, mode, deep);
      await clickTo(page, mode, page.locator(`.tp-nav-list > li > a[href$="${path.posix.basename(target[0])}"]`), target[0], `header nav "${label}"`);
    }
    const homeRel = root + "index.html";
    await open(page, mode, homeRel);
    await check(mode.name, homeRel, "header modules menu opens and lists every module", async () => {
      await page.locator(".tp-menu > summary").click();
      const open_ = await page.locator(".tp-menu").evaluate((d) => d.open);
      expect(open_, "<details class=tp-menu> did not open on click");
      const hrefs = await page.locator(".tp-menu-list a").evaluateAll((as) => as.map((a) => a.href));
      const missing = local.filter((m) => !hrefs.some((h) => mode.rel(h) === m));
      expect(!missing.length, "menu lacks: " + missing.join(", "));
      await page.keyboard.press("Escape");
      expect(!(await page.locator(".tp-menu").evaluate((d) => d.open)), "Escape did not close the menu");
    });
    await page.locator(".tp-menu > summary").click();
    await clickTo(page, mode, page.locator(`.tp-menu-list a[href$="${path.posix.relative(root, deep)}"]`), deep, "module in the header menu");
  }
  await context.close();
  return { modules, handouts, quizzes, keys, decks };
}

// ----------------------------------------------------------------- search

async function search(browser, mode, log, pages) {
  section(`${mode.name}: search`);
  const context = await newContext(browser, mode, log);
  let page = await context.newPage();
  const searchRel = [...pages.entries()].find(([, p]) => p.kind === "search")?.[0] || "search.html";

  const results = async () => {
    await page.waitForFunction(() => {
      const s = document.getElementById("tp-search-status");
      return s && s.textContent.trim() !== "";
    }, null, { timeout: 5000 }).catch(() => {});
    return page.locator("#tp-search-results > li > a").evaluateAll((as) => as.map((a) => ({ href: a.href, text: a.textContent })));
  };
  const viaHeader = async (from, query) => {
    await open(page, mode, from);
    await page.locator("#tp-search-box-q").fill(query);
    await Promise.all([page.waitForURL((u) => mode.rel(u.href) === searchRel), page.locator("#tp-search-box-q").press("Enter")]);
    await page.waitForLoadState("load");
    expect(mode.rel(page.url()) === searchRel, `the header form went to ${page.url()}`);
    const q = await page.locator("#tp-search-q").inputValue();
    expect(q === query, `the search page's box holds "${q}", wanted "${query}" (URL ${page.url()})`);
    return results();
  };

  // A word found in one handout only: it must be the first result, and open that handout.
  const cases = [
    { from: "index.html", query: "Ebola", want: "case-study-1.html", first: true, show: "Ebola" },
    { from: "modules/04-coordination/index.html", query: "Abidjan", want: "case-study-3.html", first: false, show: "Abidjan" },
    { from: "index.html", query: "vendors", want: "case-study-4.html", first: false, show: "vendors" },
    { from: "index.html", query: "haitien", want: "case-study-4.html", first: false, show: "Haïtien" },
    { from: "index.html", query: "HAÏTIEN", want: "case-study-4.html", first: false, show: "Haïtien" },
  ].filter((c) => pages.has(c.from));
  for (const c of cases) {
    // A fresh tab for each query, so that one failure does not spill into the next.
    await page.close();
    page = await context.newPage();
    await check(mode.name, c.from, `header search "${c.query}" finds ${c.want}${c.first ? " first" : ""} and opens it`, async () => {
      const found = await viaHeader(c.from, c.query);
      expect(found.length, `no results (status: "${await page.locator("#tp-search-status").textContent()}")`);
      const index = found.findIndex((r) => stripHash(r.href).endsWith("/" + c.want));
      expect(index >= 0, `${c.want} not among the results: ${found.map((r) => mode.rel(r.href) || r.href).join(", ")}`);
      if (c.first) expect(index === 0, `first result is ${mode.rel(found[0].href)}, wanted …/${c.want}`);
      // Highlighting is informative only: the excerpt is the page's opening, not the matched passage.
      const marks = [...new Set(await page.locator("#tp-search-results mark").allTextContents())];
      const link = page.locator("#tp-search-results > li > a").nth(index);
      await Promise.all([page.waitForURL((u) => stripHash(u.href).endsWith("/" + c.want)), link.click()]);
      await page.waitForLoadState("load");
      const body = await page.locator("main").textContent({ timeout: 5000 });
      expect(body.includes(c.show), `${page.url()} does not contain "${c.show}"`);
      const order = found.map((r) => path.posix.basename(stripHash(r.href))).join(", ");
      return `result ${index + 1} of ${found.length}: ${order}; highlighted: ${marks.join(", ") || "none"}`;
    });
  }
  await page.close();
  page = await context.newPage();
  await check(mode.name, searchRel, "typing in the search page's box shows results live", async () => {
    await open(page, mode, searchRel);
    expect(await page.locator("#tp-search-q").evaluate((e) => e === document.activeElement), "the search box is not focused on an empty search page");
    await page.locator("#tp-search-q").pressSequentially("liber", { delay: 20 });
    const found = await results();
    expect(found.some((r) => r.href.includes("case-study-1.html")), `prefix "liber" did not find case-study-1 (found: ${found.map((r) => mode.rel(r.href)).join(", ") || "nothing"})`);
    return `${found.length} results for "liber"`;
  });
  await check(mode.name, searchRel, "a query with no match says so", async () => {
    await open(page, mode, searchRel + "?q=zzzqqqxxx");
    const found = await results();
    expect(found.length === 0, `found ${found.length}`);
    const status = (await page.locator("#tp-search-status").textContent()).trim();
    expect(status, "the status line is empty");
    return `"${status}"`;
  });
  await context.close();
}

// ------------------------------------------------------------- slide deck

function pdfPages(buffer) {
  const text = buffer.toString("latin1");
  const leaves = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  const counts = (text.match(/\/Count\s+(\d+)/g) || []).map((m) => parseInt(m.split(/\s+/)[1], 10));
  const media = text.match(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/);
  return { leaves, count: counts.length ? Math.max(...counts) : 0, box: media ? [parseFloat(media[3]) - parseFloat(media[1]), parseFloat(media[4]) - parseFloat(media[2])] : null };
}

async function deck(browser, mode, log, decks) {
  for (const rel of decks) {
    section(`${mode.name}: slide deck ${rel}`);
    const context = await newContext(browser, mode, log);
    const page = await context.newPage();
    await open(page, mode, rel);
    const state = () => page.evaluate(() => {
      const current = Array.from(document.querySelectorAll("#tp-deck li.tp-slide.is-current"), (s) => s.id);
      const visible = Array.from(document.querySelectorAll("#tp-deck li.tp-slide"), (s) => s).filter((s) => getComputedStyle(s).display !== "none").map((s) => s.id);
      const cur = document.querySelector("#tp-deck li.tp-slide.is-current");
      const notes = cur && cur.querySelector(".tp-slide-notes");
      return {
        current, visible, hash: location.hash,
        counter: (document.getElementById("tp-deck-counter") || {}).textContent || "",
        notesOn: document.body.classList.contains("tp-deck-notes-on"),
        notesVisible: !!notes && getComputedStyle(notes).display !== "none" && notes.getBoundingClientRect().height > 0,
        pressed: (document.getElementById("tp-deck-notes") || { getAttribute: () => null }).getAttribute("aria-pressed"),
        fullscreen: !!document.fullscreenElement,
      };
    });
    const { count, slideOf } = await page.evaluate(() => ({
      count: document.querySelectorAll("#tp-deck li.tp-slide").length,
      slideOf: document.getElementById("tp-deck").getAttribute("data-slide-of") || "{number} / {count}",
    }));
    const counterFor = (n) => slideOf.replace("{number}", String(n)).replace("{count}", String(count));
    const expectSlide = async (n, after) => {
      const s = await state();
      expect(s.current.length === 1 && s.current[0] === `slide-${n}`, `${after}: current slide(s) ${JSON.stringify(s.current)}, wanted ["slide-${n}"]`);
      expect(s.visible.length === 1 && s.visible[0] === `slide-${n}`, `${after}: visible slide(s) ${JSON.stringify(s.visible)}, wanted ["slide-${n}"]`);
      expect(s.counter.trim() === counterFor(n), `${after}: counter reads "${s.counter}", wanted "${counterFor(n)}"`);
      return s;
    };
    await check(mode.name, rel, "the deck starts on slide 1 with a counter and the control bar", async () => {
      expect(count >= 2, `only ${count} slide(s)`);
      const dataCount = await page.locator("#tp-deck").getAttribute("data-count");
      expect(String(count) === dataCount, `data-count=${dataCount} but ${count} li.tp-slide`);
      expect(await page.locator("#tp-deck-bar").isVisible(), "#tp-deck-bar is not visible");
      await expectSlide(1, "on load");
      return `${count} slides, "${counterFor(1)}"`;
    });
    await check(mode.name, rel, "ArrowRight, Space and ArrowLeft move between slides", async () => {
      await page.keyboard.press("ArrowRight");
      let s = await expectSlide(2, "after ArrowRight");
      expect(s.hash === "#2", `after ArrowRight the URL hash is "${s.hash}", wanted "#2"`);
      await page.keyboard.press(" ");
      await expectSlide(3, "after Space");
      await page.keyboard.press("ArrowLeft");
      s = await expectSlide(2, "after ArrowLeft");
      expect(s.hash === "#2", `after ArrowLeft the URL hash is "${s.hash}"`);
      await page.keyboard.press("End");
      await expectSlide(count, "after End");
      await page.keyboard.press("ArrowRight");
      await expectSlide(count, "after ArrowRight on the last slide");
      await page.keyboard.press("Home");
      await expectSlide(1, "after Home");
      return "1→2→3→2, End, Home";
    });
    await check(mode.name, rel, "N shows and hides the trainer's notes", async () => {
      let s = await state();
      expect(!s.notesVisible, "notes visible before N");
      await page.keyboard.press("n");
      s = await state();
      expect(s.notesOn && s.notesVisible, `after N: body.tp-deck-notes-on=${s.notesOn}, notes visible=${s.notesVisible}`);
      expect(s.pressed === "true", `after N: #tp-deck-notes aria-pressed="${s.pressed}"`);
      await page.keyboard.press("ArrowRight");
      s = await state();
      expect(s.notesVisible, "notes hidden after moving to the next slide while on");
      await page.keyboard.press("N");
      s = await state();
      expect(!s.notesOn && !s.notesVisible, `after the second N: notes still shown`);
      await page.keyboard.press("Home");
    });
    await check(mode.name, rel, "F enters and leaves full screen", async () => {
      await page.keyboard.press("f");
      await page.waitForFunction(() => !!document.fullscreenElement, null, { timeout: 3000 }).catch(() => {});
      let s = await state();
      expect(s.fullscreen, "document.fullscreenElement is null after F");
      await page.keyboard.press("f");
      await page.waitForFunction(() => !document.fullscreenElement, null, { timeout: 3000 }).catch(() => {});
      s = await state();
      expect(!s.fullscreen, "still full screen after the second F");
    });
    await check(mode.name, rel, "the buttons and a click on the slide move too", async () => {
      await page.locator("#tp-deck-next").click();
      await expectSlide(2, "after the next button");
      await page.locator("#tp-deck-prev").click();
      await expectSlide(1, "after the previous button");
      expect(await page.locator("#tp-deck-prev").isDisabled(), "previous button enabled on slide 1");
      const frame = page.locator("#slide-1 .tp-slide-frame");
      const box = await frame.boundingBox();
      await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.5);
      await expectSlide(2, "after a click on the right of the slide");
      await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.5);
      await expectSlide(1, "after a click on the left of the slide");
    });
    await check(mode.name, rel, "a URL hash (#3) opens that slide", async () => {
      await page.goto(mode.url(rel) + "#3");
      await page.reload();
      await expectSlide(3, "after loading …#3");
    });
    await check(mode.name, rel, "print shows every slide and no notes or controls (emulated print)", async () => {
      await page.emulateMedia({ media: "print" });
      const r = await page.evaluate(() => ({
        slides: Array.from(document.querySelectorAll("#tp-deck li.tp-slide"), (s) => getComputedStyle(s).display),
        notes: Array.from(document.querySelectorAll("#tp-deck .tp-slide-notes"), (s) => getComputedStyle(s).display),
        chrome: Array.from(document.querySelectorAll(".tp-deck-header, #tp-deck-bar, .tp-deck-help"), (e) => [e.className || e.id, getComputedStyle(e).display]),
      }));
      await page.emulateMedia({ media: null });
      const hidden = r.slides.filter((d) => d === "none").length;
      expect(!hidden, `${hidden} of ${r.slides.length} slides have display:none in print`);
      expect(r.notes.every((d) => d === "none"), `notes shown in print: ${r.notes.join(",")}`);
      const shown = r.chrome.filter(([, d]) => d !== "none");
      expect(!shown.length, "shown in print: " + shown.map(([n, d]) => `${n} (display ${d})`).join(", "));
    });
    await check(mode.name, rel, "printing to PDF gives one page per slide, landscape", async () => {
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      fs.mkdirSync(SHOTS, { recursive: true });
      fs.writeFileSync(path.join(SHOTS, `${mode.name}-${rel.replace(/\W+/g, "-")}.pdf`), pdf);
      const p = pdfPages(pdf);
      expect(p.count === count && p.leaves === count, `the PDF has ${p.count} pages (/Count; ${p.leaves} page objects), the deck ${count} slides`);
      expect(p.box && p.box[0] > p.box[1], `page size ${p.box ? p.box.join("×") : "?"} pt is not landscape`);
      return `${p.count} pages of ${p.box.map(Math.round).join("×")} pt`;
    });
    await context.close();
  }
}

// ----------------------------------------------------- answers and print

async function answersAndPrint(browser, mode, log, pages) {
  section(`${mode.name}: possible answers and print`);
  const context = await newContext(browser, mode, log);
  const page = await context.newPage();
  for (const [rel, p] of pages) {
    if (p.kind !== "module" && p.kind !== "slides") continue;
    await open(page, mode, rel);
    if (p.kind === "slides") {
      // Go to the first slide whose notes hold possible answers, and show the notes.
      const n = await page.evaluate(() => { const d = document.querySelector("#tp-deck details.tp-answers"); const s = d && d.closest("li.tp-slide"); return s ? s.getAttribute("data-number") : null; });
      if (n) { await page.goto(mode.url(rel) + "#" + n); await page.reload(); }
      await page.keyboard.press("n");
    }
    const total = await page.locator("details.tp-answers").count();
    if (!total) { skip(mode.name, rel, "possible answers", "none on this page"); continue; }
    await check(mode.name, rel, "possible answers start collapsed and open on click", async () => {
      const openAtStart = await page.locator("details.tp-answers[open]").count();
      expect(openAtStart === 0, `${openAtStart} of ${total} details.tp-answers are open on load`);
      const target = page.locator("details.tp-answers:visible").first();
      expect(await target.count(), "no visible details.tp-answers to click");
      const body = target.locator(":scope > :not(summary)").first();
      expect(!(await body.isVisible()), "the answers' body is visible while collapsed");
      await target.locator(":scope > summary").click();
      expect(await target.evaluate((d) => d.open), "not open after a click on its <summary>");
      expect(await body.isVisible(), "the answers' body is not visible after opening");
      await target.locator(":scope > summary").click();
      expect(!(await target.evaluate((d) => d.open)), "not closed after a second click");
      return `${total} answer blocks`;
    });
  }
  for (const [rel, p] of pages) {
    await open(page, mode, rel);
    await check(mode.name, rel, "print media hides the header, navigation and controls", async () => {
      await page.emulateMedia({ media: "print" });
      const shown = await page.evaluate(() => Array.from(document.querySelectorAll(".tp-header, .tp-nav, .tp-deck-header, .tp-footer, .tp-skip, .tp-search-box, #tp-theme-toggle, .tp-deck-bar, .tp-pager"))
        .filter((e) => getComputedStyle(e).display !== "none").map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> display ${getComputedStyle(e).display}`));
      const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.emulateMedia({ media: null });
      expect(!shown.length, "visible in print: " + shown.join("; "));
      return `body background ${body}`;
    });
    const hasAnswers = await page.locator("details.tp-answers").count();
    if (hasAnswers && p.kind === "module") {
      await check(mode.name, rel, "print: answers shown with body.tp-print-answers, hidden with tp-print-no-answers", async () => {
        // The quiz recap (details.tp-answers.tp-quiz-recap) is left out of print on purpose (the answer key has it).
        const probe = () => page.evaluate(() => Array.from(document.querySelectorAll("details.tp-answers:not(.tp-quiz-recap)"), (d) => {
          const body = d.querySelector(":scope > :not(summary)");
          const r = body ? body.getBoundingClientRect() : { height: 0 };
          return { display: getComputedStyle(d).display, open: d.open, bodyHeight: r.height, bodyVisible: body ? body.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }) : false };
        }));
        const printAnswers = await page.evaluate(() => document.body.classList.contains("tp-print-answers"));
        await page.emulateMedia({ media: "print" });
        await page.evaluate(() => { document.body.classList.remove("tp-print-no-answers"); document.body.classList.add("tp-print-answers"); });
        const shown = await probe();
        await page.evaluate(() => { document.body.classList.remove("tp-print-answers"); document.body.classList.add("tp-print-no-answers"); });
        const hidden = await probe();
        await page.evaluate((on) => { document.body.classList.toggle("tp-print-answers", on); document.body.classList.toggle("tp-print-no-answers", !on); }, printAnswers);
        await page.emulateMedia({ media: null });
        const notShown = shown.filter((a) => !(a.display !== "none" && a.bodyHeight > 0 && a.bodyVisible));
        expect(!notShown.length, `with tp-print-answers, ${notShown.length} of ${shown.length} collapsed answers are not shown in print: ${JSON.stringify(notShown[0])}`);
        const notHidden = hidden.filter((a) => a.display !== "none");
        expect(!notHidden.length, `with tp-print-no-answers, ${notHidden.length} of ${hidden.length} answers still display in print`);
        return `${shown.length} answers; this build has body.${printAnswers ? "tp-print-answers" : "tp-print-no-answers"}`;
      });
      await check(mode.name, rel, "printing to PDF opens every answer (beforeprint) and closes them afterwards", async () => {
        // Registered after the theme's own beforeprint handler, so it sees its effect.
        await page.evaluate(() => {
          window.__tpPrinted = null;
          window.addEventListener("beforeprint", () => {
            window.__tpPrinted = Array.from(document.querySelectorAll("details.tp-answers"), (d) => d.open);
          }, { once: true });
        });
        const pdf = await page.pdf({ printBackground: true });
        const p = pdfPages(pdf);
        const printed = await page.evaluate(() => window.__tpPrinted);
        expect(Array.isArray(printed), "no beforeprint event while printing");
        const closed = printed.filter((o) => !o).length;
        expect(!closed, `${closed} of ${printed.length} details.tp-answers still collapsed while printing`);
        const after = await page.locator("details.tp-answers[open]").count();
        expect(after === 0, `${after} answers left open after printing (afterprint should close them)`);
        expect(p.count > 0, "empty PDF");
        fs.mkdirSync(SHOTS, { recursive: true });
        fs.writeFileSync(path.join(SHOTS, `${mode.name}-${rel.replace(/\W+/g, "-")}.pdf`), pdf);
        return `${printed.length} answers open in a ${p.count}-page PDF`;
      });
    }
    if (p.kind === "answer-key") {
      await check(mode.name, rel, "answer key shows its answers on screen and in print", async () => {
        const count = await page.locator(".tp-key-answers").count();
        expect(count > 0, "no .tp-key-answers on the answer key");
        const hiddenScreen = await page.locator(".tp-key-answers").evaluateAll((es) => es.filter((e) => !e.checkVisibility()).length);
        await page.emulateMedia({ media: "print" });
        const hiddenPrint = await page.locator(".tp-key-answers").evaluateAll((es) => es.filter((e) => !e.checkVisibility() || e.getBoundingClientRect().height === 0).length);
        await page.emulateMedia({ media: null });
        expect(!hiddenScreen && !hiddenPrint, `${hiddenScreen} hidden on screen, ${hiddenPrint} hidden in print (of ${count})`);
        return `${count} answer blocks`;
      });
    }
    if (p.kind === "handout" || p.kind === "quiz") {
      await check(mode.name, rel, "participant page holds no answers", async () => {
        const found = await page.evaluate(() => Array.from(document.querySelectorAll(".tp-answers, .tp-key-answers, .tp-correct, .tp-notes, .tp-slide-notes"), (e) => e.className));
        expect(!found.length, `answer/trainer blocks on a participant page: ${found.join(", ")}`);
      });
    }
  }
  await context.close();
}

// ------------------------------------------------------------ dark mode

function luminance(rgb) {
  const m = rgb.match(/\d+(\.\d+)?/g);
  if (!m) return 1;
  const [r, g, b] = m.slice(0, 3).map((v) => {
    const c = parseFloat(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function darkMode(browser, mode, log, pages) {
  section(`${mode.name}: dark mode`);
  const context = await newContext(browser, mode, log);
  const page = await context.newPage();
  const probe = () => page.evaluate(() => {
    let stored = null;
    try { stored = localStorage.getItem("trainpack-theme"); } catch (e) { stored = "(localStorage refused: " + e.message + ")"; }
    const b = document.getElementById("tp-theme-toggle");
    return { theme: document.documentElement.getAttribute("data-theme"), stored, pressed: b && b.getAttribute("aria-pressed"), visible: !!b && !b.hidden, bg: getComputedStyle(document.body).backgroundColor };
  });
  const second = [...pages.keys()].find((r) => r !== "index.html" && pages.get(r).kind === "module") || "search.html";
  await check(mode.name, "index.html", "the toggle switches to dark, stores trainpack-theme and keeps it on other pages", async () => {
    await open(page, mode, "index.html");
    let s = await probe();
    expect(s.visible, "#tp-theme-toggle is missing or hidden");
    expect(s.pressed === "false" && luminance(s.bg) > 0.5, `light system: aria-pressed="${s.pressed}", body background ${s.bg}`);
    await page.locator("#tp-theme-toggle").click();
    s = await probe();
    expect(s.theme === "dark", `<html data-theme="${s.theme}"> after the click`);
    expect(s.stored === "dark", `localStorage trainpack-theme = ${JSON.stringify(s.stored)}`);
    expect(s.pressed === "true", `aria-pressed="${s.pressed}" after the click`);
    expect(luminance(s.bg) < 0.1, `body background ${s.bg} is not dark`);
    await open(page, mode, second);
    s = await probe();
    expect(s.theme === "dark" && luminance(s.bg) < 0.1, `on ${second}: data-theme="${s.theme}", background ${s.bg}`);
    await page.emulateMedia({ media: "print" });
    const printBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const printFg = await page.evaluate(() => getComputedStyle(document.body).color);
    await page.emulateMedia({ media: null });
    expect(luminance(printBg) > 0.9 && luminance(printFg) < 0.1, `dark mode prints with background ${printBg}, text ${printFg}: wanted black on white`);
    await page.locator("#tp-theme-toggle").click();
    s = await probe();
    expect(s.theme === "light" && s.stored === "light" && luminance(s.bg) > 0.5, `back to light: data-theme="${s.theme}", stored ${s.stored}, background ${s.bg}`);
    return "dark background, stored, carried over; print black on white";
  });
  await context.close();
  const darkContext = await newContext(browser, mode, log, { colorScheme: "dark" });
  const darkPage = await darkContext.newPage();
  await check(mode.name, "index.html", "a dark system theme gives a dark page and a pressed toggle", async () => {
    await open(darkPage, mode, "index.html");
    const s = await darkPage.evaluate(() => ({ bg: getComputedStyle(document.body).backgroundColor, pressed: document.getElementById("tp-theme-toggle").getAttribute("aria-pressed") }));
    expect(luminance(s.bg) < 0.1 && s.pressed === "true", `background ${s.bg}, aria-pressed="${s.pressed}"`);
    await darkPage.locator("#tp-theme-toggle").click();
    const after = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(luminance(after) > 0.5, `the toggle did not switch a dark system theme to light (background ${after})`);
  });
  await darkContext.close();
}

// ----------------------------------------------------------------- axe

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary || "" })) }));
  });
}

async function accessibility(browser, mode, log, pages) {
  section(`${mode.name}: accessibility (axe-core ${require("axe-core/package.json").version}), light and dark`);
  const variants = [
    { label: "light", colorScheme: "light", toggle: false },
    { label: "dark (prefers-color-scheme)", colorScheme: "dark", toggle: false },
    { label: "dark (toggle)", colorScheme: "light", toggle: true },
  ];
  for (const v of variants) {
    const context = await newContext(browser, mode, log, { colorScheme: v.colorScheme });
    const page = await context.newPage();
    if (v.toggle) {
      await open(page, mode, "index.html");
      await page.locator("#tp-theme-toggle").click();
    }
    for (const [rel, p] of pages) {
      const target = p.kind === "search" ? rel + "?q=coordination" : rel;
      await check(mode.name, rel, `axe: no serious/critical violation, ${v.label}${p.kind === "slides" ? ", notes on" : ""}${p.kind === "search" ? ", with results" : ""}`, async () => {
        await open(page, mode, target);
        if (v.toggle) {
          const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
          expect(theme === "dark", `the toggled theme did not carry over: data-theme="${theme}"`);
        }
        if (p.kind === "slides") await page.keyboard.press("n");
        // Open collapsed blocks so their content is checked too (not the header menu).
        await page.evaluate(() => document.querySelectorAll("main details").forEach((d) => { d.open = true; }));
        const violations = (await runAxe(page)).filter((x) => x.impact === "serious" || x.impact === "critical");
        expect(!violations.length, violations.map((x) => `${x.impact} ${x.id}: ${x.help} (${x.nodes.length} element(s))\n` +
          x.nodes.slice(0, 4).map((n) => `  at ${short(n.target, 120)}: ${short(n.summary.replace(/\s+/g, " "), 220)}`).join("\n")).join("\n"));
      });
    }
    await context.close();
  }
}

// ------------------------------------------------------ phone width

async function phoneWidth(browser, mode, log, pages) {
  section(`${mode.name}: no horizontal overflow at ${PHONE.width} px`);
  const context = await newContext(browser, mode, log, { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const measure = () => page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide = [];
    for (const e of document.body.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > width + 1 && getComputedStyle(e).position !== "fixed") {
        // Only the innermost culprits: skip elements whose child also overflows.
        if (!Array.from(e.children).some((c) => c.getBoundingClientRect().right > width + 1))
          wide.push(`<${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""}> right edge ${Math.round(r.right)} px: "${(e.textContent || "").trim().slice(0, 50)}"`);
      }
    }
    return { scroll: root.scrollWidth, client: width, wide: wide.slice(0, 6) };
  });
  const targets = [];
  for (const [rel, p] of pages) {
    targets.push({ rel, label: "" });
    if (p.kind === "search") targets.push({ rel: rel + "?q=child", label: "with results" });
    if (p.kind === "slides") targets.push({ rel, label: "notes on", before: () => page.keyboard.press("n") });
    if (p.kind === "slides") targets.push({ rel: rel + "?presenter", label: "presenter view" });
    if (p.kind === "home" || p.kind === "module") targets.push({ rel, label: "modules menu open", before: () => page.locator(".tp-menu > summary").click() });
  }
  for (const t of targets) {
    await check(mode.name, t.rel.split("?")[0], `fits ${PHONE.width} px${t.label ? " (" + t.label + ")" : ""}`, async () => {
      await open(page, mode, t.rel);
      if (t.before) await t.before();
      const m = await measure();
      expect(m.scroll <= m.client + 1, `document scrollWidth ${m.scroll} > clientWidth ${m.client}; widest elements:\n` + m.wide.join("\n"));
      return `${m.scroll} ≤ ${m.client}`;
    });
  }
  await context.close();
}

// -------------------------------------------------------- page weight

async function pageWeight(browser, mode, log, pages) {
  section(`${mode.name}: page weight (document + CSS + JS, uncompressed)`);
  const weights = [];
  for (const [rel, p] of pages) {
    const context = await newContext(browser, mode, log);
    const page = await context.newPage();
    const responses = [];
    page.on("response", (r) => responses.push(r));
    await open(page, mode, rel);
    await page.waitForLoadState("networkidle").catch(() => {});
    const parts = { document: 0, stylesheet: 0, script: 0, other: 0 };
    let gz = 0;
    for (const r of responses) {
      let body;
      try { body = await r.body(); } catch { continue; }
      const type = r.request().resourceType();
      const key = type in parts ? type : "other";
      parts[key] += body.length;
      if (key !== "other") gz += zlib.gzipSync(body, { level: 9 }).length;
    }
    await context.close();
    const total = parts.document + parts.stylesheet + parts.script;
    weights.push({ rel, kind: p.kind, ...parts, total, gz });
    const limited = p.kind === "home" || p.kind === "module";
    const figures = `${kb(total)} = HTML ${kb(parts.document)} + CSS ${kb(parts.stylesheet)} + JS ${kb(parts.script)}; ${kb(gz)} gzipped${parts.other ? `; images etc. ${kb(parts.other)}` : ""}`;
    if (limited) {
      await check(mode.name, rel, `page weight under ${kb(WEIGHT_LIMIT)}`, async () => {
        expect(total < WEIGHT_LIMIT, `${figures}: over the limit`);
        return figures;
      });
    } else {
      console.log(`info ${mode.name.padEnd(5)} ${rel.padEnd(44)} page weight ${figures}`);
    }
  }
  return weights;
}

// ---------------------------------------------------------- screenshots

async function screenshots(browser, mode, log, pages) {
  section(`${mode.name}: screenshots into ${SHOTS}`);
  fs.mkdirSync(SHOTS, { recursive: true });
  const byKind = new Map();
  for (const [rel, p] of pages) if (!byKind.has(p.kind)) byKind.set(p.kind, rel);
  // Both answer keys: the pack's and a module's.
  const moduleKey = [...pages.entries()].find(([r, p]) => p.kind === "answer-key" && r.includes("/"));
  if (moduleKey) byKind.set("answer-key-module", moduleKey[0]);
  const shots = [];
  for (const [size, viewport, extra] of [["desktop", DESKTOP, {}], ["phone", PHONE, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }], ["dark-desktop", DESKTOP, { colorScheme: "dark" }], ["dark-phone", PHONE, { colorScheme: "dark", isMobile: true, hasTouch: true, deviceScaleFactor: 2 }]]) {
    const dark = size.startsWith("dark");
    const context = await newContext(browser, mode, log, { viewport, ...extra });
    const page = await context.newPage();
    for (const [kind, rel] of byKind) {
      if (dark && !["home", "module", "slides", "handout", "search"].includes(kind)) continue;
      const variants = [{ name: kind, target: kind === "search" ? rel + "?q=Abidjan" : rel }];
      if (kind === "slides") variants.push({ name: "slides-notes", target: rel + "#4", notes: true });
      if (kind === "module" && !dark) variants.push({ name: "module-answers-open", target: rel, answers: true });
      for (const v of variants) {
        const file = path.join(SHOTS, `${size}-${v.name}.png`);
        await check(mode.name, rel, `screenshot ${path.basename(file)}`, async () => {
          await open(page, mode, v.target);
          if (v.notes) await page.keyboard.press("n");
          if (v.answers) {
            const first = page.locator("details.tp-answers").first();
            await first.locator(":scope > summary").click();
            await first.scrollIntoViewIfNeeded();
          }
          await page.evaluate(() => document.fonts && document.fonts.ready);
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          const full = !v.answers && kind !== "slides";
          const options = full
            ? { fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, size.includes("phone") ? 2400 : 2000) } }
            : {};
          await page.screenshot({ path: file, ...options });
          const bytes = fs.statSync(file).size;
          expect(bytes > 5000, `only ${bytes} bytes: a blank page?`);
          shots.push(file);
          return `${Math.round(bytes / 1000)} kB`;
        });
      }
    }
    await context.close();
  }
  return shots;
}

// ---------------------------------------------- requests and errors

function reportLog(mode, log, pages) {
  section(`${mode.name}: requests, console errors and page errors on every page`);
  const keys = new Set([...pages.keys()]);
  for (const e of log) keys.add(e.page);
  for (const key of [...keys].sort()) {
    const entries = log.filter((e) => e.page === key);
    const requests = entries.filter((e) => e.kind === "request");
    const foreign = requests.filter((e) => !mode.allowed(e.url));
    const failed = entries.filter((e) => e.kind === "failed");
    const consoleErrors = entries.filter((e) => e.kind === "console");
    const pageErrors = entries.filter((e) => e.kind === "pageerror");
    const label = key || "(blank)";
    if (foreign.length) fail(mode.name, label, `requests stay on ${mode.name === "http" ? mode.base : "file: and data:"}`, [...new Set(foreign.map((e) => `${e.type} ${e.url}`))].slice(0, 12).join("\n"));
    else pass(mode.name, label, `requests stay on ${mode.name === "http" ? mode.base : "file: and data:"}`, `${requests.length} requests`);
    if (failed.length) fail(mode.name, label, "no failed request (4xx/5xx/network error)", [...new Set(failed.map((e) => `${e.text} ${e.url}`))].slice(0, 12).join("\n"));
    else pass(mode.name, label, "no failed request (4xx/5xx/network error)");
    if (consoleErrors.length) fail(mode.name, label, "no console error", [...new Set(consoleErrors.map((e) => e.text))].slice(0, 8).join("\n"));
    else pass(mode.name, label, "no console error");
    if (pageErrors.length) fail(mode.name, label, "no uncaught page error", [...new Set(pageErrors.map((e) => e.text))].slice(0, 5).join("\n"));
    else pass(mode.name, label, "no uncaught page error");
  }
}

// ------------------------------------------------------ right to left

// RTL_SITE: a site of an Arabic pack (scripts/browser-test builds the sample
// module as one), opened from file:// for the right-to-left checks.
async function rightToLeft(browser, kit) {
  const site = process.env.RTL_SITE ? path.resolve(process.env.RTL_SITE) : "";
  const decks = site ? walk(site).filter((f) => f.endsWith(path.sep + "slides.html")) : [];
  if (!decks.length) {
    skip("rtl", "(site)", "right-to-left deck and presenter view", site ? `no slides.html in ${site}` : "RTL_SITE is not set");
    return;
  }
  // Opened from file:// (what `allowed` checks), reported as "rtl".
  const mode = { ...makeMode("file", pathToFileURL(site).href.replace(/\/?$/, "/")), name: "rtl" };
  const log = [];
  const rel = path.relative(site, decks[0]).split(path.sep).join("/");
  await presenterRtlChecks(kit, browser, mode, log, rel);
  reportLog(mode, log, new Map([[rel, {}]]));
}

// --------------------------------------------------------------- main

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`\nFAIL the run took longer than 6 minutes: stopped`);
    process.exit(1);
  }, 6 * 60 * 1000);
  watchdog.unref();

  console.log(`trainpack browser tests: ${SITE}`);
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`FAIL no browser at ${CHROMIUM} (scripts/browser-test installs Debian's chromium)`);
    process.exit(1);
  }
  const server = await startServer();
  const port = server.address().port;
  const http_ = makeMode("http", `http://127.0.0.1:${port}${SUBPATH}`);
  const file_ = makeMode("file", pathToFileURL(SITE).href.replace(/\/?$/, "/"));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  console.log(`Chromium ${browser.version()}, site served at ${http_.base} and opened from ${file_.base}`);

  const kit = { check, expect, section, skip, newContext, open, runAxe, shots: SHOTS };
  let weights = [];
  try {
    for (const mode of [http_, file_]) {
      const log = [];
      const pages = await crawl(browser, mode, log);
      if (!pages.has("index.html")) throw new Error(`${mode.name}: the home page did not load`);
      const kinds = await navigation(browser, mode, log, pages);
      await search(browser, mode, log, pages);
      await deck(browser, mode, log, kinds.decks);
      for (const rel of kinds.decks) await presenterChecks(kit, browser, mode, log, rel);
      await answersAndPrint(browser, mode, log, pages);
      await darkMode(browser, mode, log, pages);
      if (mode === http_) {
        await accessibility(browser, mode, log, pages);
        await phoneWidth(browser, mode, log, pages);
        weights = await pageWeight(browser, mode, log, pages);
        await screenshots(browser, mode, log, pages);
        const outside = served.filter((s) => !s.path.startsWith(SUBPATH));
        await check("http", "(server)", `every request the server saw was under ${SUBPATH}`, async () => {
          expect(!outside.length, [...new Set(outside.map((s) => `${s.status} ${s.path}`))].join("\n"));
          return `${served.length} requests`;
        });
      }
      reportLog(mode, log, pages);
    }
    await rightToLeft(browser, kit);
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  section("page weight (for BENCHMARKS.md)");
  console.log("| page | kind | HTML | CSS | JS | total | gzipped |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const w of weights) console.log(`| ${w.rel} | ${w.kind} | ${kb(w.document)} | ${kb(w.stylesheet)} | ${kb(w.script)} | ${kb(w.total)} | ${kb(w.gz)} |`);
  if (notes.length) {
    section("notes");
    for (const n of notes) console.log("- " + n);
  }
  if (failures.length) {
    section(`${failures.length} failure(s)`);
    for (const f of failures) console.log(f);
  }
  const seconds = ((Date.now() - STARTED) / 1000).toFixed(1);
  console.log(`\nbrowser tests finished in ${seconds} s; screenshots in ${SHOTS}`);
  console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  process.exitCode = tally.failed ? 1 : 0;
}

main().catch((error) => {
  console.error(`FAIL the test run itself broke: ${error && error.stack || error}`);
  console.log(`${tally.passed} passed, ${tally.failed + 1} failed, ${tally.skipped} skipped`);
  process.exit(1);
});
