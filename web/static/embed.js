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
  var intro = log.querySelector(".intro"), fresh = document.querySelector(".new");
  var tools = document.getElementById("gereedschap");
  var KEY = "routewijzer.widget.v1", saved = [], busy = false, turns = 0, max = parseInt(cfg.max, 10) || 500;
  var ICONS = [  // thumbs up, thumbs down, copy
    "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6c-.4.4-.6.9-.6 1.4v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1.2-.7v-2z",
    "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.4.6-.9.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1-.2.7v2z",
    "M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11v14z"];
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
  function newTab(href, text, cls) {
    var a = el("a", { href: abs(href), target: "_blank", rel: "noopener" }, text);
    if (cls) a.className = cls;
    a.appendChild(el("span", { "class": "visually-hidden" }, " (opent in een nieuw tabblad)"));
    return a;
  }
  function dutchDate(iso) {
    var p = (iso || "").split("-");
    return dateFmt && p.length === 3 ? dateFmt.format(new Date(+p[0], +p[1] - 1, +p[2])) : iso;
  }
  function list(tag, items, cls) {
    var ul = el(tag, cls ? { "class": cls } : {});
    items.forEach(function (child) { var li = el("li"); li.appendChild(child); ul.appendChild(li); });
    return ul;
  }
  function setError(message) {
    error.textContent = message || "";
    error.hidden = !message;
    form.classList.toggle("has-error", !!message);
    if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }
  function store() {  // the conversation, per tab, survives the host site's page changes
    try { sessionStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode */ }
  }
  function started(on) {
    if (starters) starters.hidden = on;
    if (intro) intro.hidden = on;
    fresh.hidden = !on;
  }

  function copyText(a) {
    var lines = ["Vraag: " + a.question, "", a.answer];
    if (a.outdated) lines.push("", a.outdated);
    if (a.citations.length) lines.push("", "Bronnen:");
    a.citations.forEach(function (c, i) {
      lines.push("[" + (i + 1) + "] " + c.section + " (" + c.title + "): " + abs(c.url) + (c.stand ? " (Stand: " + c.stand + ")" : ""));
    });
    return lines.join("\n");
  }

  function feedback(item, n) {  // thumbs, copy and reasons, from the page's <template>
    var fb = tools.content.firstElementChild.cloneNode(true), a = item.answer;
    Array.prototype.forEach.call(fb.querySelectorAll(".ic"), function (span, i) {  // constant icons
      span.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="' + ICONS[i] + '"/></svg>';
    });
    var done = fb.querySelector(".done"), reasons = fb.querySelector(".reasons"), down = fb.querySelector(".down");
    Array.prototype.forEach.call(fb.querySelectorAll("input, textarea"), function (f) { f.name += "-" + n; });
    if (!a.citations.length) fb.querySelector(".copy").remove();
    function rated(r) {
      Array.prototype.forEach.call(fb.querySelectorAll(".up, .down"), function (b) {
        b.disabled = true;
        b.setAttribute("aria-pressed", String((b === down) === (r === "not_helpful")));
      });
      reasons.hidden = true;
      done.textContent = "Bedankt voor uw feedback.";
    }
    if (item.rated) rated(item.rated);
    fb.addEventListener("submit", function (e) {
      e.preventDefault();
      var b = e.submitter, v = b && b.value;
      if (v === "open") { reasons.hidden = false; down.setAttribute("aria-expanded", "true"); reasons.querySelector("input").focus(); return; }
      var reason = fb.querySelector("input:checked");
      item.key = item.key || (window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now() + "-" + Math.random());
      fetch("/api/feedback", {  // a retry after a lost reply is stored once (Idempotency-Key)
        method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": item.key },
        body: JSON.stringify({ question: a.question, answer: a.answer, abstained: a.abstained, rating: v,
          reason: v === "not_helpful" && reason ? reason.value : null,
          comment: v === "not_helpful" ? fb.querySelector("textarea").value || null : null,
          citations: a.citations.map(function (c) { return c.url; }) })
      }).then(function (res) {
        if (!res.ok) throw new Error(res.status);
        item.rated = v;
        store();
        rated(v);
      }).catch(function () { done.textContent = "Uw feedback kon niet worden verstuurd."; });
    });
    var copy = fb.querySelector(".copy");
    if (copy) copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copyText(a)).then(function () { done.textContent = "Gekopieerd."; },
        function () { done.textContent = "Kopiëren lukte niet."; });
    });
    return fb;
  }

  function render(item) {
    var answer = item.answer;
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
      turn.appendChild(el("h3", { "class": "visually-hidden" }, "Bronnen"));
      turn.appendChild(list("ol", answer.citations.map(function (c, i) {
        var d = el("details", { "class": "source" }), s = el("summary");
        s.appendChild(el("span", { "class": "n" }, String(i + 1)));
        s.appendChild(document.createTextNode(" " + (c.section || c.title)));
        d.appendChild(s);
        var box = el("div", { "class": "passage" });
        box.appendChild(el("p", {}, c.passage.length > 500 ? c.passage.slice(0, 499) + "…" : c.passage));
        box.appendChild(newTab(citedLink(c.url), c.title, "citation-link"));
        if (c.stand) box.appendChild(el("span", { "class": "stand" }, "Stand: " + c.stand));
        var reviewed = el("span", { "class": "reviewed" }, "Laatst gecontroleerd op ");
        reviewed.appendChild(el("time", { datetime: c.last_reviewed }, dutchDate(c.last_reviewed)));
        box.appendChild(reviewed);
        d.appendChild(box);
        return d;
      }), "citations"));
    }
    var related = answer.related.map(function (r) { return newTab(r.url, r.section || r.title, "chip"); });
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
      var refer = [];
      if (answer.refer && answer.refer.url) {  // a nearby topic kb/ leaves to others: where to go instead
        var go = el("span", {}, "Kijk bij ");
        go.appendChild(newTab(answer.refer.url, answer.refer.title));
        go.appendChild(document.createTextNode("."));
        refer.push(go);
      }
      turn.appendChild(list("ul", refer.concat(related, [wizard, contact])));
    } else if (related.length) {
      var more = el("div", { "class": "more" });
      more.appendChild(el("h3", {}, "Lees ook"));
      more.appendChild(list("ul", related));
      turn.appendChild(more);
    }
    turn.appendChild(feedback(item, turns));
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
    started(true);
    var wait = el("div", { "class": "pending" });
    wait.appendChild(el("p", { "class": "q" }, question));
    wait.appendChild(el("p", { "class": "busy" }, "Routewijzer zoekt een antwoord…"));
    log.appendChild(wait);
    wait.scrollIntoView({ block: "nearest" });
    status.textContent = "Routewijzer zoekt een antwoord…";
    fetch("/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ question: question, context: saved.slice(-5).map(function (s) { return s.answer.question; }),
        site: parentOrigin || null })
    }).then(function (res) {
      return res.json().then(function (body) { return res.ok ? body : { error: body.detail }; },
        function () { return { error: "Er ging iets mis (" + res.status + "). Probeer het opnieuw." }; });
    }).then(function (answer) {
      if (answer.error) { status.textContent = ""; started(saved.length > 0); setError(answer.error); input.focus(); return; }
      var item = { answer: answer };
      saved.push(item);
      store();
      var turn = render(item);
      log.appendChild(turn);
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
  fresh.addEventListener("click", function () {
    saved = [];
    store();
    Array.prototype.forEach.call(log.querySelectorAll(".turn"), function (t) { t.remove(); });
    started(false);
    status.textContent = "Nieuw gesprek begonnen.";
    input.focus();
  });
  try { saved = JSON.parse(sessionStorage.getItem(KEY) || "[]") || []; } catch (e) { saved = []; }
  if (saved.length) { saved.forEach(function (item) { log.appendChild(render(item)); }); started(true); }
  post("ready");
})();
