/* trainpack search page. The index is a script (search-index.js) that sets
   window.TRAINPACK_SEARCH = {docs: [{t: title, u: url, m: module label,
   x: excerpt, w: words}]}, so search works from file:// without fetch.

   Matching folds case and accents. Every word of the query must match a
   word of the page; the last one may be the start of a word, so results
   appear while typing. Pages whose title matches come first. */
(function () {
  "use strict";
  var form = document.getElementById("tp-search-form");
  var input = document.getElementById("tp-search-q");
  var status = document.getElementById("tp-search-status");
  var list = document.getElementById("tp-search-results");
  if (!form || !input || !status || !list) return;

  var index = (window.TRAINPACK_SEARCH && window.TRAINPACK_SEARCH.docs) || [];
  var root = status.getAttribute("data-root") || "";
  var MAX = 50;
  var combining = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var splitter;
  try { splitter = new RegExp("[^\\p{L}\\p{N}]+", "u"); } catch (e) { splitter = /[\s.,;:!?'"()\[\]{}\/\\<>«»“”‘’–—-]+/; }

  function fold(text) {
    return String(text || "").normalize("NFD").replace(combining, "").toLowerCase();
  }
  function words(text) {
    return fold(text).split(splitter).filter(Boolean);
  }

  /* Prepared once: the words of each document as a set and a list, and its
     folded title words. */
  var docs = index.map(function (doc) {
    var list = Array.isArray(doc.w) ? doc.w.map(fold) : words(doc.w);
    var set = Object.create(null);
    list.forEach(function (w) { set[w] = true; });
    var title = words(doc.t);
    title.forEach(function (w) { if (!set[w]) { set[w] = true; list.push(w); } });
    return { doc: doc, set: set, list: list, title: title };
  });

  function matchesWord(entry, term, prefix) {
    if (entry.set[term]) return 2;
    if (prefix) {
      for (var i = 0; i < entry.list.length; i++) if (entry.list[i].lastIndexOf(term, 0) === 0) return 1;
    }
    return 0;
  }
  function inTitle(entry, term, prefix) {
    for (var i = 0; i < entry.title.length; i++) {
      var w = entry.title[i];
      if (w === term || (prefix && w.lastIndexOf(term, 0) === 0)) return true;
    }
    return false;
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length) return [];
    var results = [];
    docs.forEach(function (entry, position) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var prefix = i === terms.length - 1;
        var hit = matchesWord(entry, terms[i], prefix);
        if (!hit) return;
        score += hit;
        if (inTitle(entry, terms[i], prefix)) score += 10;
      }
      results.push({ entry: entry, score: score, position: position });
    });
    results.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    return results;
  }

  /* Highlights the query's words in a text, building DOM nodes (never HTML
     strings), so the index cannot inject markup. */
  function highlight(parent, text, terms) {
    text = String(text || "");
    if (!terms.length) { parent.appendChild(document.createTextNode(text)); return; }
    var folded = "", map = [];
    for (var i = 0; i < text.length; i++) {
      var f = fold(text[i]);
      for (var j = 0; j < f.length; j++) { folded += f[j]; map.push(i); }
    }
    var marks = [];
    terms.forEach(function (term) {
      var from = 0, at;
      while (term && (at = folded.indexOf(term, from)) !== -1) {
        var before = at === 0 ? "" : folded[at - 1];
        if (!before || splitter.test(before)) marks.push([map[at], map[at + term.length - 1] + 1]);
        from = at + term.length;
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var last = 0;
    marks.forEach(function (m) {
      if (m[0] < last) return;
      parent.appendChild(document.createTextNode(text.slice(last, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      last = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function render(query) {
    list.textContent = "";
    var trimmed = query.trim();
    if (fold(trimmed).replace(splitter, "").length < 2) {
      status.textContent = trimmed ? status.getAttribute("data-hint") : "";
      return;
    }
    var results = search(trimmed);
    if (!results.length) {
      status.textContent = status.getAttribute("data-none");
      return;
    }
    status.textContent = status.getAttribute("data-results") + " " + results.length;
    var terms = words(trimmed);
    results.slice(0, MAX).forEach(function (result) {
      var doc = result.entry.doc;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + doc.u;
      highlight(link, doc.t, terms);
      item.appendChild(link);
      if (doc.m && doc.m !== doc.t) {
        var module = document.createElement("span");
        module.className = "tp-search-module";
        module.textContent = doc.m;
        item.appendChild(module);
      }
      if (doc.x) {
        var excerpt = document.createElement("p");
        excerpt.className = "tp-search-excerpt";
        highlight(excerpt, doc.x, terms);
        item.appendChild(excerpt);
      }
      list.appendChild(item);
    });
  }

  function remember(query) {
    try {
      var url = location.pathname + (query ? "?q=" + encodeURIComponent(query) : "") + location.hash;
      history.replaceState(null, "", url);
    } catch (e) { /* file:// may refuse; the results still show */ }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { render(input.value); remember(input.value.trim()); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    render(input.value);
    remember(input.value.trim());
  });

  var match = /[?&]q=([^&#]*)/.exec(location.search);
  var initial = "";
  if (match) {
    try { initial = decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { initial = match[1]; }
  }
  input.value = initial;
  render(initial);
  if (!initial) input.focus();
})();
