// Routewijzer widget chat, inside the iframe of widget.js. Same-origin calls to /api/ask; talks
// to the host page only by postMessage with the verified parent origin (data-parent).
(function () {
  "use strict";
  var root = document.documentElement, cfg = root.dataset;
  var parentOrigin = cfg.parent, framed = window.parent !== window;
  var base = cfg.base || location.origin;
  root.style.setProperty("--accent", cfg.accent);
  root.style.setProperty("--on-accent", cfg.onAccent);

  function post(type) {
    if (framed && parentOrigin) window.parent.postMessage({ routewijzer: type }, parentOrigin);
  }
  function focusables() {
    return Array.prototype.filter.call(
      document.querySelectorAll("a[href], button:not([disabled]), textarea, [tabindex='0']"),
      function (el) { return el.offsetParent !== null; });
  }
  window.addEventListener("message", function (e) {
    if (e.origin !== parentOrigin || e.source !== window.parent || !e.data) return;
    var els = focusables();
    if (e.data.routewijzer === "focus-first") (document.getElementById("vraag") || els[0]).focus();
    if (e.data.routewijzer === "focus-last" && els.length) els[els.length - 1].focus();
  });
  document.addEventListener("keydown", function (e) {
    if (!framed) return;
    if (e.key === "Escape") { e.preventDefault(); post("close"); return; }
    if (e.key !== "Tab") return;
    var els = focusables(), first = els[0], last = els[els.length - 1];
    // Leaving the frame at either end goes to the panel's close button (the focus trap).
    if ((e.shiftKey && document.activeElement === first) || (!e.shiftKey && document.activeElement === last)) {
      e.preventDefault();
      post("tab-out");
    }
  });

  var form = document.getElementById("vraagformulier");
  if (!form || !window.fetch) { post("ready"); return; }
  var log = document.getElementById("gesprek"), input = document.getElementById("vraag");
  var error = document.getElementById("vraag-fout"), status = document.getElementById("aankondiging");
  var starters = log.querySelector(".starters"), button = form.querySelector(".send");
  var history = [], busy = false, turns = 0, max = parseInt(cfg.max, 10) || 500;
  var dateFmt = window.Intl ? new Intl.DateTimeFormat("nl-NL", { day: "numeric", month: "long", year: "numeric" }) : null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function abs(url) { return new URL(url, base + "/").href; }
  function citedLink(url) {
    var parts = url.split("#");
    return parts[1] ? parts[0] + "?hl=" + encodeURIComponent(parts[1]) + "#" + parts[1] : url;
  }
  function newTab(href, text) {
    var a = el("a", { href: abs(href), target: "_blank", rel: "noopener" }, text);
    a.appendChild(el("span", { "class": "visually-hidden" }, " (opent in een nieuw tabblad)"));
    return a;
  }
  function dutchDate(iso) {
    var p = (iso || "").split("-");
    return dateFmt && p.length === 3 ? dateFmt.format(new Date(+p[0], +p[1] - 1, +p[2])) : iso;
  }
  function list(tag, items) {
    var ul = el(tag);
    items.forEach(function (child) { var li = el("li"); li.appendChild(child); ul.appendChild(li); });
    return ul;
  }
  function setError(message) {
    error.textContent = message || "";
    error.hidden = !message;
    form.classList.toggle("has-error", !!message);
    if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  function render(answer) {
    turns += 1;
    var turn = el("article", { "class": "turn" + (answer.abstained ? " abstained" : ""), "aria-labelledby": "vraag-" + turns });
    var h = el("h2", { "class": "q", id: "vraag-" + turns });
    h.appendChild(el("span", { "class": "visually-hidden" }, "Uw vraag: "));
    h.appendChild(document.createTextNode(answer.question));
    turn.appendChild(h);
    var body = el("div", { "class": "a" });
    answer.answer.split(/\n\s*\n/).forEach(function (para) {  // paragraphs; '- ' lines are a list
      var lines = para.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
      var lead = lines.filter(function (l) { return l.indexOf("- ") !== 0; }).join(" ");
      var items = lines.filter(function (l) { return l.indexOf("- ") === 0; });
      if (lead) body.appendChild(el("p", {}, lead));
      if (items.length) body.appendChild(list("ul", items.map(function (l) { return document.createTextNode(l.slice(2)); })));
    });
    turn.appendChild(body);
    if (answer.outdated) turn.appendChild(el("p", { "class": "currency-note", role: "note" }, answer.outdated));
    if (answer.citations.length) {
      turn.appendChild(el("h3", {}, "Bronnen"));
      turn.appendChild(list("ol", answer.citations.map(function (c) {
        var frag = document.createDocumentFragment();
        var a = newTab(citedLink(c.url), c.title + ": " + c.section);
        a.className = "citation-link";
        frag.appendChild(a);
        if (c.stand) frag.appendChild(el("span", { "class": "stand" }, "Stand: " + c.stand));
        var reviewed = el("span", { "class": "reviewed" }, "Laatst gecontroleerd op ");
        reviewed.appendChild(el("time", { datetime: c.last_reviewed }, dutchDate(c.last_reviewed)));
        frag.appendChild(reviewed);
        return frag;
      })));
    }
    var related = answer.related.map(function (r) {
      return newTab(r.url, r.section ? r.section + " (" + r.title + ")" : r.title);
    });
    if (answer.abstained) {
      turn.appendChild(el("h3", {}, "Hoe verder?"));
      var wizard = el("span", {}, "Beantwoord een paar vragen in de ");
      wizard.appendChild(newTab("/wizard", "Routewijzer-wizard"));
      var contact = el("span", {}, "Neem contact op met ");
      if (cfg.contactUrl) {
        var c = el("a", { href: cfg.contactUrl, target: "_blank", rel: "noopener" }, cfg.contact);
        contact.appendChild(c);
      } else contact.appendChild(document.createTextNode(cfg.contact));
      contact.appendChild(document.createTextNode("."));
      if (!related.length && starters) {  // another subject: offer the starter questions instead
        turn.appendChild(el("p", {}, "Probeer een van deze vragen:"));
        turn.appendChild(list("ul", Array.prototype.map.call(starters.querySelectorAll(".starter"), function (s) {
          var b = el("button", { type: "button", "class": "starter" }, s.textContent);
          b.addEventListener("click", function () { ask(s.textContent); });
          return b;
        })));
      }
      turn.appendChild(list("ul", related.concat([wizard, contact])));
    } else if (related.length) {
      turn.appendChild(el("h3", {}, "Lees ook"));
      turn.appendChild(list("ul", related));
    }
    return turn;
  }

  function ask(question) {
    question = (question || "").replace(/\s+/g, " ").trim();
    if (busy) return;
    if (!question) { setError("Typ eerst een vraag."); input.focus(); return; }
    if (question.length > max) { setError("De vraag is te lang: gebruik hoogstens " + max + " tekens."); input.focus(); return; }
    setError("");
    busy = true;
    button.disabled = true;
    log.setAttribute("aria-busy", "true");
    var wait = el("p", { "class": "busy" }, "Routewijzer zoekt een antwoord…");
    log.appendChild(wait);
    status.textContent = "Routewijzer zoekt een antwoord…";
    fetch("/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ question: question, context: history.slice(-5), site: parentOrigin || null })
    }).then(function (res) {
      return res.json().then(function (body) { return res.ok ? body : { error: body.detail }; },
        function () { return { error: "Er ging iets mis (" + res.status + "). Probeer het opnieuw." }; });
    }).then(function (answer) {
      if (answer.error) { status.textContent = ""; setError(answer.error); input.focus(); return; }
      if (starters) starters.hidden = true;
      var turn = render(answer);
      log.appendChild(turn);
      history.push(answer.question);
      input.value = "";
      turn.scrollIntoView({ block: "start" });
      var n = answer.citations.length;
      status.textContent = "Antwoord: " + answer.answer + (n ? " (" + n + (n === 1 ? " bron)" : " bronnen)") : "");
    }).catch(function () {
      status.textContent = "";
      setError("Routewijzer is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.");
    }).then(function () {
      busy = false;
      button.disabled = false;
      log.removeAttribute("aria-busy");
      if (wait.parentNode) wait.parentNode.removeChild(wait);
    });
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(input.value); }
  });
  if (starters) starters.addEventListener("click", function (e) {
    var b = e.target.closest(".starter");
    if (b) ask(b.textContent);
  });
  post("ready");
})();
