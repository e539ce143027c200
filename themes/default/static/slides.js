/* trainpack slide deck: one slide at a time from the list of slides in
   slides.html. Without JavaScript the slides are simply listed.

   Keys: Right/Down/PageDown/Space next; Left/Up/PageUp/Shift+Space previous
   (Left and Right swap on right-to-left pages, so the arrow pointing the way
   the text reads goes forward); Home/End first/last; N toggles the
   trainer's notes on this screen (a one-screen rehearsal); P opens the
   presenter view; F toggles full screen. A click on the slide goes forward,
   or back when on its first quarter (last quarter for RTL). The URL hash
   (#3) tracks the slide, so a reload keeps the position.

   The presenter view is this same page opened as `slides.html?presenter`
   in a second window (window.open, so it works from file:// with no
   server). The two windows talk with postMessage: the presenter says
   "hello" until the deck answers with its "state" (slide, session start,
   when the slide came up) and sends "go" and "reset"; the deck sends its
   state after every change. A message counts only when it has this
   script's shape and comes from the partner window: from file:// the
   origin is "null", so it is posted to "*", and the check is on
   event.source. While a presenter view is open the deck never shows the
   notes. Closing either window leaves the other working. */
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
  var presenting = /^\?presenter(&|$)/.test(location.search);
  var word = function (name, fallback) { return deck.getAttribute("data-" + name) || fallback; };
  var slideOf = word("slide-of", "{number} / {count}");
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
  var presenterButton = byId("tp-deck-presenter");
  var message = byId("tp-deck-message");
  var store = "trainpack-deck:" + location.pathname + (presenting ? "?presenter" : "");
  var current = -1;
  var since = Date.now(); // when the current slide came up
  slides.forEach(function (slide) { slide.classList.remove("is-current"); });

  function load(key) { try { return sessionStorage.getItem(store + key); } catch (e) { return null; } }
  function save(key, value) { try { sessionStorage.setItem(store + key, value); } catch (e) { /* ignore */ } }

  function fromHash() {
    var match = /^#(?:slide-)?(\d+)$/.exec(location.hash);
    if (!match) return 0;
    return Math.min(Math.max(parseInt(match[1], 10), 1), count) - 1;
  }

  /* Shows slide `index`. `remote` is true when the other window asked for
     it, so it is not sent back. */
  function show(index, updateHash, remote) {
    index = Math.min(Math.max(index, 0), count - 1);
    var changed = index !== current;
    if (changed) {
      if (current >= 0) slides[current].classList.remove("is-current");
      slides[index].classList.add("is-current");
      current = index;
      since = Date.now();
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
    if (presenting) {
      if (changed) presenter.slideChanged();
      if (!remote) link.send("go");
    } else if (!remote) {
      link.send("state");
    }
  }
  function go(step) { show(current + step, true, false); }

  function toggleNotes(on) {
    if (presenting) return; // the presenter view always shows them
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
     restarted by a click on it (or from the presenter view). */
  var started = parseInt(load("start"), 10);
  if (!(started > 0)) { started = Date.now(); save("start", String(started)); }
  function clockText(seconds, withHours) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    var ss = (s < 10 ? "0" : "") + s;
    if (!withHours && !h) return m + ":" + ss;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + ss;
  }
  function restartTimer(remote) {
    started = Date.now();
    save("start", String(started));
    tick();
    if (!remote) link.send(presenting ? "reset" : "state");
  }
  function tick() {
    clock.textContent = clockText((Date.now() - started) / 1000, true);
    if (presenting) presenter.tick();
    else link.check();
  }

  /* ---- the link between the deck and its presenter view ---- */
  var link = (function () {
    var KIND = "trainpack-presenter";
    // From file:// the origin is opaque (Chromium says "file://", others
    // "null") and cannot be a target: post to "*" and check event.source.
    var origin = /^https?:$/.test(location.protocol) ? location.origin : "*";
    var partner = null; // in the deck: the presenter view's window (in the presenter: its opener)
    var heard = 0;      // in the presenter: when the deck's state last came
    var asked = 0, askedAt = 0; // in the presenter: the slide it last asked the deck for

    function opener() { try { return window.opener && !window.opener.closed ? window.opener : null; } catch (e) { return null; } }
    function isOurs(source) {
      if (presenting) return source === opener();
      if (source === partner) return true;
      // A reloaded deck has lost the window it opened: the presenter it
      // opened still has it as its opener.
      try { return source.opener === window; } catch (e) { return false; }
    }
    function send(type) {
      var target = presenting ? opener() : partner;
      if (!target || target.closed) return;
      if (type === "go") { asked = current + 1; askedAt = Date.now(); }
      try {
        target.postMessage({ kind: KIND, type: type, deck: location.pathname, slide: current + 1, started: started, since: since }, origin);
      } catch (e) { /* the other window is going away */ }
    }
    function valid(data) {
      return data && typeof data === "object" && data.kind === KIND && typeof data.type === "string" &&
        data.deck === location.pathname && typeof data.slide === "number" && data.slide % 1 === 0 &&
        data.slide >= 1 && data.slide <= count && typeof data.started === "number" && data.started > 0 &&
        typeof data.since === "number" && data.since > 0;
    }
    function receive(event) {
      var data = event.data;
      if (!valid(data) || (origin !== "*" && event.origin !== origin)) return;
      // A window that is unloading (a reload, a close) has no source any
      // more: its "bye" only makes this window check on it, so it is taken
      // without one.
      var source = event.source;
      var unloading = data.type === "bye" && !source;
      if (!unloading && !(source && isOurs(source))) return;
      if (presenting) fromDeck(data);
      else fromPresenter(data, source);
    }
    function fromDeck(data) {
      if (data.type === "bye") { heard = 0; return; }
      if (data.type !== "state") return;
      // An answer sent before the deck saw this window's last "go" would
      // move it back for a moment: the answer to the "go" follows.
      if (asked && data.slide !== asked && Date.now() - askedAt < 1000) return;
      asked = 0;
      heard = Date.now();
      started = data.started;
      show(data.slide - 1, true, true);
      since = data.since;
      tick();
    }
    function fromPresenter(data, source) {
      if (data.type === "bye") { setTimeout(check, 500); return; } // closed, or reloading
      partner = source;
      presented(true);
      if (data.type === "go") show(data.slide - 1, true, true);
      else if (data.type === "reset") restartTimer(true);
      send("state");
    }
    /* The deck with a presenter view open hides its notes. */
    function presented(on) {
      save("presented", on ? "1" : "0");
      body.classList.toggle("tp-deck-presented", on);
      notesButton.disabled = on;
      notesButton.title = on ? word("presenter-on", "") : "";
      if (presenterButton) presenterButton.setAttribute("aria-pressed", on ? "true" : "false");
    }
    function check() {
      if (presenting) {
        // Until the deck answers, and now and then after: a deck that was
        // reloaded does not know this window until it hears from it.
        if (Date.now() - heard > 5000) send("hello");
      } else if (partner && partner.closed) {
        partner = null;
        presented(false);
      }
    }
    function open() {
      if (partner && !partner.closed) { partner.focus(); return; }
      var url = location.pathname + "?presenter#" + (current + 1);
      var win = null;
      try { win = window.open(url, "trainpack-presenter:" + location.pathname, "popup,width=1200,height=760"); } catch (e) { win = null; }
      if (message) message.textContent = win ? "" : word("blocked", "");
      if (!win) return;
      partner = win;
      presented(true);
    }
    window.addEventListener("message", receive);
    window.addEventListener("pagehide", function () { send("bye"); });
    // A deck reloaded while its presenter view was open keeps its notes
    // hidden until that view says hello again (it does within a second),
    // or until it is clear that it is gone.
    if (!presenting && load("presented") === "1") {
      presented(true);
      setTimeout(function () { if (!partner) presented(false); }, 3000);
    }
    return { send: send, check: check, open: open };
  })();

  /* ---- the presenter view's panel: clocks and the next slide ---- */
  var presenter = (function () {
    var panel = byId("tp-presenter");
    if (!presenting || !panel) return { slideChanged: function () {}, tick: function () {} };
    var status = byId("tp-presenter-status");
    var sessionClock = byId("tp-presenter-clock");
    var onSlide = byId("tp-presenter-on-slide");
    var slideMinutes = byId("tp-presenter-slide-minutes");
    var window_ = byId("tp-presenter-window");
    var nextTitle = byId("tp-presenter-next-title");
    var nextStage = byId("tp-presenter-next-stage");
    var live = byId("tp-presenter-live");
    var pattern = word("clock", "{hours}h {minutes}m");

    function minutes(slide, name) {
      var value = parseInt(slide.getAttribute("data-" + name), 10);
      return isNaN(value) ? null : value;
    }
    function offset(total) {
      return pattern.replace("{hours}", String(Math.floor(total / 60))).replace("{minutes}", (total % 60 < 10 ? "0" : "") + (total % 60));
    }
    function titleOf(slide) {
      var title = slide.querySelector(".tp-slide-title");
      return title ? title.textContent.trim() : "";
    }
    function slideChanged() {
      var slide = slides[current];
      var next = slides[current + 1];
      var from = minutes(slide, "start-minutes"), to = minutes(slide, "end-minutes");
      window_.textContent = from === null || to === null ? "" : offset(from) + " – " + offset(to);
      slideMinutes.textContent = slide.getAttribute("data-minutes") || "";
      nextTitle.textContent = next ? titleOf(next) : word("end", "");
      while (nextStage.firstChild) nextStage.removeChild(nextStage.firstChild);
      var frame = next && next.querySelector(".tp-slide-frame");
      if (frame) {
        var copy = frame.cloneNode(true);
        Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
        copy.setAttribute("inert", "");
        nextStage.appendChild(copy);
      }
      live.textContent = counter.textContent + ": " + titleOf(slide);
      tick();
    }
    /* Behind when the session clock is past the slide's planned time
       (its start to the next slide's), ahead when it has not reached it. */
    function scheduleStatus(elapsed) {
      var slide = slides[current];
      var from = minutes(slide, "start-minutes"), to = minutes(slide, "end-minutes");
      if (from === null || to === null) return ["", ""];
      if (elapsed - to >= 1) return ["is-behind", word("behind", "").replace("{minutes}", String(Math.floor(elapsed - to)))];
      if (from - elapsed >= 1) return ["is-ahead", word("ahead", "").replace("{minutes}", String(Math.floor(from - elapsed)))];
      return ["is-on-time", word("on-time", "")];
    }
    function tick() {
      var now = Date.now();
      sessionClock.textContent = clockText((now - started) / 1000, true);
      onSlide.textContent = clockText((now - since) / 1000, false);
      var s = scheduleStatus((now - started) / 60000);
      status.className = "tp-presenter-status " + s[0];
      if (status.textContent !== s[1]) status.textContent = s[1];
      link.check();
    }
    panel.hidden = false;
    counter.setAttribute("aria-live", "off"); // the panel's status line says it, with the title
    document.title = word("presenter", "") + " · " + document.title;
    var heading = document.querySelector(".tp-deck-title");
    if (heading) heading.textContent = word("presenter", "") + " · " + heading.textContent;
    byId("tp-presenter-reset").addEventListener("click", function () { restartTimer(false); });
    nextStage.addEventListener("click", function () { go(1); });
    return { slideChanged: slideChanged, tick: tick };
  })();

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
    else if (key === "Home") show(0, true, false);
    else if (key === "End") show(count - 1, true, false);
    else if ((key === "n" || key === "N") && !presenting) { if (!notesButton.disabled) toggleNotes(); }
    else if ((key === "p" || key === "P") && !presenting) link.open();
    else if (key === "f" || key === "F") toggleFullscreen();
    else return;
    event.preventDefault();
  });

  deck.addEventListener("click", function (event) {
    var frame = event.target.closest(".tp-slide .tp-slide-frame");
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
    if (touchX === null || !event.target.closest(".tp-slide .tp-slide-frame")) return;
    var dx = event.changedTouches[0].clientX - touchX;
    var dy = event.changedTouches[0].clientY - touchY;
    touchX = null;
    if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy)) return;
    go((dx < 0) !== rtl ? 1 : -1);
  });

  prevButton.addEventListener("click", function () { go(-1); });
  nextButton.addEventListener("click", function () { go(1); });
  notesButton.addEventListener("click", function () { toggleNotes(); });
  if (presenterButton) presenterButton.addEventListener("click", function () { link.open(); });
  elapsedButton.addEventListener("click", function () { restartTimer(false); });
  if (root.requestFullscreen || root.webkitRequestFullscreen) {
    fullButton.addEventListener("click", toggleFullscreen);
    var syncFull = function () { fullButton.setAttribute("aria-pressed", fullscreenElement() ? "true" : "false"); };
    document.addEventListener("fullscreenchange", syncFull);
    document.addEventListener("webkitfullscreenchange", syncFull);
    syncFull();
  } else {
    fullButton.hidden = true;
  }
  window.addEventListener("hashchange", function () { show(fromHash(), false, false); });

  if (presenting) root.classList.add("tp-presenter-view");
  bar.hidden = false;
  toggleNotes(load("notes") === "1");
  show(fromHash(), false, true);
  tick();
  setInterval(tick, 1000);
})();
