// Search as you type on /kb and /glossary; without JavaScript the form shows the same results.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var box = document.getElementById("zoekresultaten");
  var count = box.querySelector(".search-count"), list = box.querySelector(".result-list");
  var scope = form.getAttribute("data-scope"), timer = null, last = null, seq = 0;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function show(q, results) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = el("li"), a = el("a", r.section || r.title), p = el("p");
      a.href = r.url;
      li.appendChild(a);
      if (r.section) li.appendChild(el("span", " · " + r.title, "muted"));
      r.parts.forEach(function (part) { p.appendChild(part.match ? el("mark", part.text) : document.createTextNode(part.text)); });
      li.appendChild(p);
      list.appendChild(li);
    });
    count.textContent = results.length
      ? results.length + (results.length === 1 ? " resultaat" : " resultaten") + " voor “" + q + "”"
      : "Geen resultaten voor “" + q + "”. Probeer een ander woord.";
    box.hidden = false;
  }
  function search() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url.pathname + url.search);
    if (q.length < 2) { box.hidden = true; list.textContent = ""; count.textContent = ""; return; }
    var mine = ++seq;
    fetch("/api/search?" + new URLSearchParams({ q: q, scope: scope }), { headers: { Accept: "application/json" } })
      .then(function (res) { return res.ok ? res.json() : { results: [] }; })
      .then(function (body) { if (mine === seq) show(q, body.results); })
      .catch(function () { if (mine === seq) { count.textContent = "Zoeken lukte niet. Probeer het opnieuw."; box.hidden = false; } });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); last = null; search(); });
})();
