// The presenter view of the slide deck (issue 21): `slides.html?presenter`,
// opened by P in a second window and kept in step with the deck by
// postMessage. Called by run.mjs for each deck, over HTTP and from file://,
// and once for a right-to-left (Arabic) deck. `kit` holds run.mjs's
// helpers: check, expect, section, skip, newContext, open, runAxe, shots.

import fs from "node:fs";
import path from "node:path";

const STEP_TIMEOUT = 3000; // ms for a message to cross between windows

/** What a window shows: its current slide, visible notes, presenter panel. */
function probe(page) {
  return page.evaluate(() => {
    const shown = (e) => !!e && getComputedStyle(e).display !== "none" && e.getBoundingClientRect().height > 0;
    const cur = document.querySelector("#tp-deck li.tp-slide.is-current");
    const text = (id) => ((document.getElementById(id) || {}).textContent || "").trim();
    return {
      current: Array.from(document.querySelectorAll("#tp-deck li.tp-slide.is-current"), (s) => s.id),
      hash: location.hash,
      notesShown: Array.from(document.querySelectorAll("#tp-deck .tp-slide-notes")).filter(shown).length,
      currentNotes: cur ? ((cur.querySelector(".tp-slide-notes .tp-prose") || {}).textContent || "").trim() : "",
      presented: document.body.classList.contains("tp-deck-presented"),
      presenterView: document.documentElement.classList.contains("tp-presenter-view"),
      panelShown: shown(document.getElementById("tp-presenter")),
      nextTitle: text("tp-presenter-next-title"),
      nextFrameTitle: ((document.querySelector("#tp-presenter-next-stage .tp-slide-title") || {}).textContent || "").trim(),
      status: text("tp-presenter-status"),
      clock: text("tp-presenter-clock"),
      deckClock: text("tp-deck-clock"),
      live: text("tp-presenter-live"),
      notesDisabled: !!(document.getElementById("tp-deck-notes") || {}).disabled,
    };
  });
}

/** Waits until both windows are on slide `n`; throws with what each shows. */
async function inStep(kit, windows, n, after) {
  const want = `slide-${n}`;
  for (const [name, page] of windows) {
    await page.waitForFunction((id) => {
      const cur = document.querySelectorAll("#tp-deck li.tp-slide.is-current");
      return cur.length === 1 && cur[0].id === id;
    }, want, { timeout: STEP_TIMEOUT }).catch(() => {});
    const s = await probe(page);
    kit.expect(s.current.length === 1 && s.current[0] === want, `${after}: the ${name} shows ${JSON.stringify(s.current)}, wanted ["${want}"]`);
  }
}

async function openPresenter(kit, page) {
  const [popup] = await Promise.all([page.waitForEvent("popup", { timeout: 5000 }), page.keyboard.press("p")]);
  await popup.waitForLoadState("load");
  await popup.setViewportSize({ width: 1280, height: 800 });
  return popup;
}

/** The words and planned windows the deck carries, for the expected texts. */
function deckFacts(page) {
  return page.evaluate(() => {
    const deck = document.getElementById("tp-deck");
    return {
      count: document.querySelectorAll("#tp-deck li.tp-slide").length,
      behind: deck.getAttribute("data-behind"),
      ahead: deck.getAttribute("data-ahead"),
      onTime: deck.getAttribute("data-on-time"),
      end: deck.getAttribute("data-end"),
      slides: Array.from(document.querySelectorAll("#tp-deck li.tp-slide"), (s) => ({
        title: s.querySelector(".tp-slide-title").textContent.trim(),
        notes: ((s.querySelector(".tp-slide-notes .tp-prose") || {}).textContent || "").trim(),
        from: parseInt(s.getAttribute("data-start-minutes"), 10),
        to: parseInt(s.getAttribute("data-end-minutes"), 10),
      })),
    };
  });
}

/** Makes the deck's session clock read `minutes` (it keeps its start in sessionStorage), then reloads it. */
async function setSessionClock(page, minutes) {
  await page.evaluate((m) => sessionStorage.setItem("trainpack-deck:" + location.pathname + "start", String(Date.now() - m * 60000)), minutes);
  await page.reload();
}

export async function presenterChecks(kit, browser, mode, log, rel) {
  const { check, expect } = kit;
  kit.section(`${mode.name}: presenter view of ${rel}`);
  const context = await kit.newContext(browser, mode, log);
  const page = await context.newPage();
  await kit.open(page, mode, rel + "#2");
  const facts = await deckFacts(page);
  const windows = () => [["deck", page], ["presenter view", presenter]];
  let presenter = null;

  await check(mode.name, rel, "P opens the presenter view in a second window, on the deck's slide", async () => {
    await page.keyboard.press("n"); // notes on in the deck, as in a rehearsal: they must go away
    presenter = await openPresenter(kit, page);
    const url = new URL(presenter.url());
    expect(mode.rel(presenter.url()) === rel && url.search === "?presenter", `the popup opened ${presenter.url()}, wanted ${rel}?presenter`);
    const s = await probe(presenter);
    expect(s.presenterView && s.panelShown, `presenter view: html.tp-presenter-view=${s.presenterView}, #tp-presenter shown=${s.panelShown}`);
    await inStep(kit, windows(), 2, "on opening");
    return `${url.search}${url.hash}`;
  });
  if (!presenter) { await context.close(); return; }

  await check(mode.name, rel, "the presenter view shows the current slide's notes and the next slide", async () => {
    const s = await probe(presenter);
    expect(facts.slides[1].notes, "slide 2 has no notes in the deck's page");
    expect(s.notesShown === 1 && s.currentNotes === facts.slides[1].notes, `notes shown: ${s.notesShown}; text ${JSON.stringify(s.currentNotes.slice(0, 80))}, wanted slide 2's ${JSON.stringify(facts.slides[1].notes.slice(0, 80))}`);
    expect(s.nextTitle === facts.slides[2].title, `"up next" reads "${s.nextTitle}", wanted slide 3's "${facts.slides[2].title}"`);
    expect(s.nextFrameTitle === facts.slides[2].title, `the next slide's preview shows "${s.nextFrameTitle}"`);
    expect(s.live.includes(facts.slides[1].title), `the live region says "${s.live}"`);
    return `next: "${s.nextTitle}"`;
  });

  await check(mode.name, rel, "the projected deck shows no notes while the presenter view is open, even after N", async () => {
    let s = await probe(page);
    expect(s.presented && s.notesShown === 0, `deck: tp-deck-presented=${s.presented}, ${s.notesShown} notes block(s) shown`);
    expect(s.notesDisabled, "the deck's notes button is still enabled");
    await page.keyboard.press("n");
    s = await probe(page);
    expect(s.notesShown === 0, `after N in the deck ${s.notesShown} notes block(s) are shown`);
  });

  await check(mode.name, rel, "keys in the deck move the presenter view in step", async () => {
    await page.keyboard.press("ArrowRight");
    await inStep(kit, windows(), 3, "ArrowRight in the deck");
    await page.keyboard.press("PageUp");
    await inStep(kit, windows(), 2, "PageUp in the deck");
    await page.keyboard.press("End");
    await inStep(kit, windows(), facts.count, "End in the deck");
    const s = await probe(presenter);
    expect(s.nextTitle === facts.end, `on the last slide "up next" reads "${s.nextTitle}", wanted "${facts.end}"`);
    await page.keyboard.press("Home");
    await inStep(kit, windows(), 1, "Home in the deck");
    await page.locator("#tp-deck-next").click();
    await inStep(kit, windows(), 2, "the deck's next button");
  });

  await check(mode.name, rel, "keys and clicks in the presenter view move the deck in step", async () => {
    await presenter.bringToFront();
    await presenter.keyboard.press("ArrowRight");
    await inStep(kit, windows(), 3, "ArrowRight in the presenter view");
    await presenter.keyboard.press(" ");
    await inStep(kit, windows(), 4, "Space in the presenter view");
    await presenter.keyboard.press("ArrowLeft");
    await inStep(kit, windows(), 3, "ArrowLeft in the presenter view");
    await presenter.keyboard.press("PageDown");
    await inStep(kit, windows(), 4, "PageDown in the presenter view");
    await presenter.keyboard.press("Home");
    await inStep(kit, windows(), 1, "Home in the presenter view");
    await presenter.locator("#tp-presenter-next-stage").click();
    await inStep(kit, windows(), 2, "a click on the next slide's preview");
    await presenter.locator("#tp-deck-prev").click();
    await inStep(kit, windows(), 1, "the presenter view's previous button");
  });

  await check(mode.name, rel, "the deck ignores messages from other windows and of another shape", async () => {
    await inStep(kit, windows(), 1, "before");
    const message = (slide) => ({ kind: "trainpack-presenter", type: "go", deck: new URL(page.url()).pathname, slide, started: Date.now(), since: Date.now() });
    // A well-formed "go" from a window that is not the deck's presenter view (here the deck itself).
    await page.evaluate((m) => window.postMessage(m, "*"), message(3));
    // From the presenter view, but with a slide that is not a whole number in range.
    for (const slide of ["3", 2.5, 0, facts.count + 1]) await presenter.evaluate((m) => window.opener.postMessage(m, "*"), message(slide));
    await page.waitForTimeout(500);
    await inStep(kit, windows(), 1, "after the foreign messages");
    // The same well-formed message from the presenter view does move it: the check can tell.
    await presenter.evaluate((m) => window.opener.postMessage(m, "*"), message(3));
    await inStep(kit, [["deck", page]], 3, "after the presenter's own message");
    await presenter.keyboard.press("Home");
    await inStep(kit, windows(), 1, "Home in the presenter view");
  });

  await check(mode.name, rel, "the session clock says how far behind or ahead of the schedule", async () => {
    // 30.5 minutes into the session (so the whole minutes stay put for the
    // seconds this takes), on slide 1: planned from its start to slide 2's.
    await setSessionClock(page, 30.5);
    await inStep(kit, windows(), 1, "after the deck's reload");
    const behind = facts.behind.replace("{minutes}", String(Math.floor(30.5 - facts.slides[0].to)));
    await presenter.waitForFunction((t) => document.getElementById("tp-presenter-status").textContent.trim() === t, behind, { timeout: STEP_TIMEOUT }).catch(() => {});
    let s = await probe(presenter);
    expect(facts.slides[0].to < 30, `slide 1 is planned until minute ${facts.slides[0].to}: the test needs less than 30`);
    expect(s.status === behind, `on slide 1 at 30 min the status reads "${s.status}", wanted "${behind}" (clock ${s.clock})`);
    expect(/^0:30:[345]\d$/.test(s.clock), `the presenter's session clock reads ${s.clock}, wanted 0:30:30 or a little more`);
    await presenter.keyboard.press("End");
    await inStep(kit, windows(), facts.count, "End in the presenter view");
    const last = facts.slides[facts.count - 1];
    const ahead = facts.ahead.replace("{minutes}", String(Math.floor(last.from - 30.5)));
    s = await probe(presenter);
    expect(last.from > 31, `the last slide starts at minute ${last.from}: the test needs more than 31`);
    expect(s.status === ahead, `on the last slide at 30 min the status reads "${s.status}", wanted "${ahead}"`);
    return `"${behind}", then "${ahead}"`;
  });

  await check(mode.name, rel, "the presenter view's timer reset restarts the deck's clock too", async () => {
    await presenter.keyboard.press("Home");
    await inStep(kit, windows(), 1, "Home in the presenter view");
    await presenter.locator("#tp-presenter-reset").click();
    await page.waitForFunction(() => /^0:00:0\d$/.test(document.getElementById("tp-deck-clock").textContent), null, { timeout: STEP_TIMEOUT }).catch(() => {});
    const d = await probe(page);
    const s = await probe(presenter);
    expect(/^0:00:0\d$/.test(d.deckClock), `the deck's clock reads ${d.deckClock} after the reset`);
    expect(/^0:00:0\d$/.test(s.clock) && s.status === facts.onTime, `the presenter's clock reads ${s.clock}, its status "${s.status}", wanted "${facts.onTime}"`);
    return `"${s.status}"`;
  });

  await check(mode.name, rel, "reloading the presenter view re-syncs it to the deck's slide", async () => {
    await page.keyboard.press("End");
    await inStep(kit, windows(), facts.count, "End in the deck");
    // The presenter reloads on another slide of its own: the deck's wins, and the deck does not move.
    await presenter.evaluate(() => history.replaceState(null, "", "#2"));
    await presenter.reload();
    await inStep(kit, windows(), facts.count, "after the presenter view's reload");
    const s = await probe(page);
    expect(s.presented && s.notesShown === 0, `after the presenter's reload the deck shows ${s.notesShown} notes block(s), presented=${s.presented}`);
  });

  await check(mode.name, rel, "a reloaded deck keeps its notes hidden and stays in step", async () => {
    await page.reload();
    let s = await probe(page);
    expect(s.presented && s.notesShown === 0, `just after its reload the deck shows ${s.notesShown} notes block(s), presented=${s.presented}`);
    await presenter.bringToFront();
    await presenter.keyboard.press("Home");
    await inStep(kit, windows(), 1, "Home in the presenter view after the deck's reload");
    await page.waitForTimeout(3500); // past the deck's wait for its presenter
    s = await probe(page);
    expect(s.presented && s.notesShown === 0, `3.5 s after its reload the deck shows ${s.notesShown} notes block(s), presented=${s.presented}`);
  });

  if (mode.name === "http") await presenterAxe(kit, mode, rel, presenter);
  if (mode.name === "http") {
    const language = rel.startsWith("modules/") ? "" : rel.split("/")[0] + "-";
    await presenterShots(kit, mode, page, presenter, language, true);
  }

  await check(mode.name, rel, "closing the presenter view gives the deck back its notes (N)", async () => {
    await presenter.close();
    await page.waitForFunction(() => !document.body.classList.contains("tp-deck-presented"), null, { timeout: STEP_TIMEOUT }).catch(() => {});
    let s = await probe(page);
    expect(!s.presented && !s.notesDisabled, `the deck still acts presented (presented=${s.presented}, notes button disabled=${s.notesDisabled})`);
    // N was on in the deck before the presenter view opened.
    expect(s.notesShown === 1, `${s.notesShown} notes block(s) shown in the deck after the presenter closed, wanted 1 (N was on)`);
    await page.keyboard.press("ArrowRight");
    await inStep(kit, [["deck", page]], 2, "ArrowRight in the deck alone");
    await page.keyboard.press("n");
    s = await probe(page);
    expect(s.notesShown === 0, `N did not hide the notes after the presenter closed (${s.notesShown} shown)`);
  });

  await check(mode.name, rel, "closing the deck leaves the presenter view working", async () => {
    presenter = await openPresenter(kit, page);
    await inStep(kit, windows(), 2, "on opening again");
    await page.close();
    await presenter.keyboard.press("ArrowRight");
    await inStep(kit, [["presenter view", presenter]], 3, "ArrowRight in the presenter view without its deck");
    await presenter.locator("#tp-presenter-reset").click();
    const s = await probe(presenter);
    expect(/^0:00:0\d$/.test(s.clock), `the presenter's own clock reads ${s.clock} after a reset`);
  });
  await context.close();
}

async function presenterAxe(kit, mode, rel, presenter) {
  for (const scheme of ["light", "dark"]) {
    await kit.check(mode.name, rel, `axe: no serious/critical violation in the presenter view, ${scheme}`, async () => {
      await presenter.emulateMedia({ colorScheme: scheme });
      await presenter.evaluate(() => document.querySelectorAll("main details").forEach((d) => { d.open = true; }));
      const violations = (await kit.runAxe(presenter)).filter((x) => x.impact === "serious" || x.impact === "critical");
      await presenter.emulateMedia({ colorScheme: "light" });
      kit.expect(!violations.length, violations.map((x) => `${x.impact} ${x.id}: ${x.help}\n` +
        x.nodes.slice(0, 4).map((n) => `  at ${n.target}: ${n.summary.replace(/\s+/g, " ").slice(0, 200)}`).join("\n")).join("\n"));
    });
  }
}

/** Screenshots of the presenter view and the deck beside it: `${prefix}desktop-presenter.png`, … */
async function presenterShots(kit, mode, page, presenter, prefix, dark) {
  fs.mkdirSync(kit.shots, { recursive: true });
  for (const [name, p] of [["presenter", presenter], ["slides-presented", page]]) {
    const file = path.join(kit.shots, `${prefix}desktop-${name}.png`);
    await kit.check(mode.name, mode.rel(p.url()) || p.url(), `screenshot ${path.basename(file)}`, async () => {
      await p.evaluate(() => document.fonts && document.fonts.ready);
      await p.screenshot({ path: file });
      const bytes = fs.statSync(file).size;
      kit.expect(bytes > 5000, `only ${bytes} bytes: a blank page?`);
      return `${Math.round(bytes / 1000)} kB`;
    });
  }
  if (!dark) return;
  const file = path.join(kit.shots, `${prefix}dark-desktop-presenter.png`);
  await kit.check(mode.name, mode.rel(presenter.url()), `screenshot ${path.basename(file)}`, async () => {
    await presenter.emulateMedia({ colorScheme: "dark" });
    await presenter.screenshot({ path: file });
    await presenter.emulateMedia({ colorScheme: "light" });
    return `${Math.round(fs.statSync(file).size / 1000)} kB`;
  });
}

/** A right-to-left deck (the sample module built as an Arabic pack) and its presenter view, from file://. */
export async function presenterRtlChecks(kit, browser, mode, log, rel) {
  const { check, expect } = kit;
  kit.section(`${mode.name}: right-to-left deck and presenter view ${rel}`);
  const context = await kit.newContext(browser, mode, log);
  const page = await context.newPage();
  await kit.open(page, mode, rel);
  let presenter = null;
  const windows = () => [["deck", page], ["presenter view", presenter]];
  await check(mode.name, rel, "RTL: the deck is right to left and ArrowLeft goes forward", async () => {
    const dir = await page.evaluate(() => document.documentElement.dir);
    expect(dir === "rtl", `<html dir="${dir}">`);
    await page.keyboard.press("ArrowLeft");
    await inStep(kit, [["deck", page]], 2, "ArrowLeft in the RTL deck");
    await page.keyboard.press("ArrowRight");
    await inStep(kit, [["deck", page]], 1, "ArrowRight in the RTL deck");
  });
  await check(mode.name, rel, "RTL: the presenter view lays out right to left and moves in step", async () => {
    presenter = await openPresenter(kit, page);
    await inStep(kit, windows(), 1, "on opening");
    const boxes = await presenter.evaluate(() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect();
      return { slides: box("#tp-slides").left, panel: box("#tp-presenter").left, dir: document.documentElement.dir };
    });
    expect(boxes.dir === "rtl", `the presenter view has dir="${boxes.dir}"`);
    expect(boxes.slides > boxes.panel, `the current slide (left ${Math.round(boxes.slides)} px) is not to the right of the panel (left ${Math.round(boxes.panel)} px)`);
    await presenter.keyboard.press("ArrowLeft");
    await inStep(kit, windows(), 2, "ArrowLeft in the RTL presenter view");
    await page.keyboard.press("ArrowLeft");
    await inStep(kit, windows(), 3, "ArrowLeft in the RTL deck");
    const s = await probe(presenter);
    expect(s.nextTitle && s.status, `up next "${s.nextTitle}", status "${s.status}"`);
    return `up next "${s.nextTitle}", status "${s.status}"`;
  });
  if (presenter) await presenterShots(kit, mode, page, presenter, "rtl-", false);
  await context.close();
}
