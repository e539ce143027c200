/* trainpack default theme: dark-mode toggle, print handling, small helpers.
   No dependencies; every page loads it with `defer`. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "trainpack-theme";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen === "dark";
    return !!(media && media.matches);
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  /* Dark mode: the choice is applied before the first paint by an inline
     script in <head>; this wires the button (hidden without JavaScript). */
  function setupThemeToggle() {
    var button = document.getElementById("tp-theme-toggle");
    if (!button) return;
    function sync() { button.setAttribute("aria-pressed", isDark() ? "true" : "false"); }
    button.hidden = false;
    sync();
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode */ }
      sync();
    });
    if (media && media.addEventListener) media.addEventListener("change", sync);
  }

  /* Print buttons (hidden without JavaScript). */
  function setupPrint() {
    each("[data-tp-print]", function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* The modules menu in the header: Escape or a click elsewhere closes it. */
  function setupMenus() {
    var menus = document.querySelectorAll("details.tp-menu");
    if (!menus.length) return;
    document.addEventListener("click", function (event) {
      Array.prototype.forEach.call(menus, function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      Array.prototype.forEach.call(menus, function (menu) {
        if (menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
  }

  /* "On this page" starts open (so it shows without JavaScript); on narrow
     screens, where it sits above the content, fold it away. */
  function setupToc() {
    if (window.matchMedia && !window.matchMedia("(min-width: 75rem)").matches) {
      each("details.tp-toc", function (toc) { toc.open = false; });
    }
  }

  /* "/" focuses the search box in the header, as on many sites. */
  function setupSearchKey() {
    var box = document.getElementById("tp-search-box-q");
    if (!box) return;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      box.focus();
    });
  }

  /* Printing shows the address after each external link, except where the
     link's text already is its address. */
  function markBareLinks() {
    each('main a[href^="http"]', function (link) {
      var text = link.textContent.trim().replace(/\/$/, "");
      if (text === link.getAttribute("href").replace(/\/$/, "")) link.classList.add("tp-bare");
    });
  }

  /* Printing: open every closed <details> (possible answers, the table of
     contents…) and close them again afterwards. Whether answers print at all
     is up to the stylesheet: <body> has tp-print-answers or
     tp-print-no-answers, from [build] print_answers. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    each("details:not([open])", function (details) {
      if (details.closest(".tp-nav")) return;
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });

  function init() {
    setupThemeToggle();
    setupPrint();
    setupMenus();
    setupToc();
    setupSearchKey();
    markBareLinks();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
