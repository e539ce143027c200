/* trainpack slide deck: one slide at a time from the list of slides in
   slides.html. Without JavaScript the slides are simply listed.

   Keys: Right/Down/PageDown/Space next; Left/Up/PageUp/Shift+Space previous
   (Left and Right swap on right-to-left pages); Home/End first/last;
   N toggles the trainer's notes; F toggles full screen. A click on the slide
   goes forward, or back when on its first quarter (last quarter for RTL).
   The URL hash (#3) tracks the slide, so a reload keeps the position. */
(function () {
  "use strict";
  var deck = document.getElementById("tp-deck");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".tp-slide"));
  var count = slides.length;
  if (!count) return;

  var root = document.documentElement;
  var body = document.body;
  var rtl = (root.getAttribute("dir") || "").toLowerCase() === "rtl";
  var slideOf = deck.getAttribute("data-slide-of") || "{number} / {count}";
  var byId = function (id) { return document.getElementById(id); };
  var bar = byId("tp-deck-bar");
  var counter = byId("tp-deck-counter");
  var planned = byId("tp-deck-planned");
  var clock = byId("tp-deck-clock");
  var prevButton = byId("tp-deck-prev");
  var nextButton = byId("tp-deck-next");
  var notesButton = byId("tp-deck-notes");
  var fullButton = byId("tp-deck-full");
  var elapsedButton = byId("tp-deck-elapsed");
  var store = "trainpack-deck:" + location.pathname;
  var current = -1;
  slides.forEach(function (slide) { slide.classList.remove("is-current"); });

  function load(key) { try { return sessionStorage.getItem(store + key); } catch (e) { return null; } }
  function save(key, value) { try { sessionStorage.setItem(store + key, value); } catch (e) { /* ignore */ } }

  function fromHash() {
    var match = /^#(?:slide-)?(\d+)$/.exec(location.hash);
    if (!match) return 0;
    return Math.min(Math.max(parseInt(match[1], 10), 1), count) - 1;
  }

  function show(index, updateHash) {
    index = Math.min(Math.max(index, 0), count - 1);
    if (index !== current) {
      if (current >= 0) slides[current].classList.remove("is-current");
      slides[index].classList.add("is-current");
      current = index;
      var notes = slides[index].querySelector(".tp-slide-notes");
      if (notes) notes.scrollTop = 0;
    }
    counter.textContent = slideOf.replace("{number}", String(index + 1)).replace("{count}", String(count));
    planned.textContent = slides[index].getAttribute("data-start") || "";
    prevButton.disabled = index === 0;
    nextButton.disabled = index === count - 1;
    if (updateHash) {
      var hash = "#" + (index + 1);
      if (location.hash !== hash) {
        try { history.replaceState(null, "", hash); } catch (e) { location.replace(hash); }
      }
    }
  }
  function go(step) { show(current + step, true); }

  function toggleNotes(on) {
    if (typeof on !== "boolean") on = !body.classList.contains("tp-deck-notes-on");
    body.classList.toggle("tp-deck-notes-on", on);
    notesButton.setAttribute("aria-pressed", on ? "true" : "false");
    save("notes", on ? "1" : "0");
  }

  function fullscreenElement() { return document.fullscreenElement || document.webkitFullscreenElement; }
  function toggleFullscreen() {
    if (fullscreenElement()) {
      (document.exitFullscreen || document.webkitExitFullscreen).call(document);
    } else {
      var request = root.requestFullscreen || root.webkitRequestFullscreen;
      if (request) {
        var result = request.call(root);
        if (result && result.catch) result.catch(function () { /* refused */ });
      }
    }
  }

  /* Elapsed time since the deck was opened; kept across reloads in this tab,
     restarted by a click on it. */
  var started = parseInt(load("start"), 10);
  if (!(started > 0)) { started = Date.now(); save("start", String(started)); }
  function tick() {
    var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    clock.textContent = h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key;
    var onControl = target && target.closest && target.closest("a, button, summary");
    if (onControl && (key === " " || key === "Enter")) return;
    var forward = rtl ? "ArrowLeft" : "ArrowRight";
    var backward = rtl ? "ArrowRight" : "ArrowLeft";
    if (key === forward || key === "ArrowDown" || key === "PageDown" || (key === " " && !event.shiftKey)) go(1);
    else if (key === backward || key === "ArrowUp" || key === "PageUp" || (key === " " && event.shiftKey)) go(-1);
    else if (key === "Home") show(0, true);
    else if (key === "End") show(count - 1, true);
    else if (key === "n" || key === "N") toggleNotes();
    else if (key === "f" || key === "F") toggleFullscreen();
    else return;
    event.preventDefault();
  });

  deck.addEventListener("click", function (event) {
    var frame = event.target.closest(".tp-slide-frame");
    if (!frame || event.target.closest("a, button")) return;
    var selection = window.getSelection && window.getSelection();
    if (selection && String(selection).length) return;
    var box = frame.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width;
    go((rtl ? x > 0.75 : x < 0.25) ? -1 : 1);
  });

  /* Swipes on touch screens. */
  var touchX = null, touchY = null;
  deck.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 1) { touchX = null; return; }
    touchX = event.touches[0].clientX;
    touchY = event.touches[0].clientY;
  }, { passive: true });
  deck.addEventListener("touchend", function (event) {
    if (touchX === null || !event.target.closest(".tp-slide-frame")) return;
    var dx = event.changedTouches[0].clientX - touchX;
    var dy = event.changedTouches[0].clientY - touchY;
    touchX = null;
    if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy)) return;
    go((dx < 0) !== rtl ? 1 : -1);
  });

  prevButton.addEventListener("click", function () { go(-1); });
  nextButton.addEventListener("click", function () { go(1); });
  notesButton.addEventListener("click", function () { toggleNotes(); });
  elapsedButton.addEventListener("click", function () {
    started = Date.now();
    save("start", String(started));
    tick();
  });
  if (root.requestFullscreen || root.webkitRequestFullscreen) {
    fullButton.addEventListener("click", toggleFullscreen);
    var syncFull = function () { fullButton.setAttribute("aria-pressed", fullscreenElement() ? "true" : "false"); };
    document.addEventListener("fullscreenchange", syncFull);
    document.addEventListener("webkitfullscreenchange", syncFull);
    syncFull();
  } else {
    fullButton.hidden = true;
  }
  window.addEventListener("hashchange", function () { show(fromHash(), false); });

  bar.hidden = false;
  toggleNotes(load("notes") === "1");
  show(fromHash(), false);
  tick();
  setInterval(tick, 1000);
})();
