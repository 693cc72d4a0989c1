// Routewijzer chat: progressive enhancement of the server-rendered forms (the page works without it).
// The conversation is kept per tab in sessionStorage, so following a source and coming back
// (Back, reload) shows the same conversation; "Nieuw gesprek" clears it.
(function () {
  "use strict";
  var form = document.getElementById("vraagformulier");
  var log = document.getElementById("gesprek");
  if (!form || !log || !window.fetch) return;
  var KEY = "routewijzer.gesprek.v1";
  var input = document.getElementById("vraag");
  var error = document.getElementById("vraag-fout");
  var counter = document.getElementById("vraag-teller");
  var status = document.getElementById("aankondiging");
  var send = form.querySelector(".send");
  var starters = document.querySelector(".starters");
  var lead = document.querySelector(".chat-page .lead");
  var restart = document.getElementById("nieuw-gesprek");
  var max = parseInt(form.getAttribute("data-max"), 10) || 500;
  var busy = false;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function context() {
    return Array.prototype.map.call(form.querySelectorAll('input[name="context"]'), function (el) {
      return el.value;
    });
  }
  function addContext(question) {
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "context";
    hidden.value = question;
    form.appendChild(hidden);
  }
  function setStarted(started) {
    if (starters) starters.hidden = started;
    if (lead) lead.hidden = started;
    if (restart) restart.hidden = !started;
    if (!started) log.setAttribute("data-empty", ""); else log.removeAttribute("data-empty");
  }

  // ---- the conversation in sessionStorage ----
  function save() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ context: context(), html: log.innerHTML }));
    } catch (e) { /* storage full or blocked: the conversation still works in this page */ }
  }
  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function clear() {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing to clear */ }
  }
  function restore() {
    var saved = load();
    if (!saved || !saved.html || !Array.isArray(saved.context)) return;
    log.innerHTML = saved.html;  // our own server-rendered fragments, saved by this page
    saved.context.forEach(addContext);
    setStarted(true);
    var last = log.querySelector(".turn:last-of-type");
    if (last && last.scrollIntoView) last.scrollIntoView({ block: "start" });
  }

  // ---- the composer ----
  function showError(message) {
    error.textContent = "";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = "Fout: ";
    error.appendChild(hidden);
    error.appendChild(document.createTextNode(message));
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    form.querySelector(".field").classList.add("has-error");
    input.focus();
  }
  function clearError() {
    error.hidden = true;
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    form.querySelector(".field").classList.remove("has-error");
  }
  function fit() {  // grow the box with its text, up to about six lines (CSS max-height)
    input.style.height = "auto";
    input.style.height = input.scrollHeight + 2 + "px";
    var n = input.value.length;
    counter.hidden = n < max * 0.8;
    counter.textContent = n + " van " + max + " tekens";
    counter.classList.toggle("over", n >= max);
  }
  input.addEventListener("input", fit);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      ask(input.value);
    }
  });

  function pendingTurn(question) {
    var turn = document.createElement("article");
    turn.className = "pending";
    var h = document.createElement("h2");
    h.className = "turn-question";
    h.textContent = question;
    var typing = document.createElement("p");
    typing.className = "typing";
    typing.innerHTML = '<span class="dot"></span><span class="dot"></span><span class="dot"></span>' +
      '<span class="visually-hidden">Routewijzer zoekt een antwoord…</span>';
    turn.appendChild(h);
    turn.appendChild(typing);
    return turn;
  }

  function ask(question) {
    if (busy) return;
    var previous = context();
    var data = new FormData();
    data.append("question", question);
    previous.forEach(function (q) { data.append("context", q); });
    busy = true;
    send.disabled = true;
    log.setAttribute("aria-busy", "true");
    var pending = question.trim() ? pendingTurn(question.trim()) : null;
    if (pending) {
      log.appendChild(pending);
      log.removeAttribute("data-empty");
      pending.scrollIntoView({ block: "nearest" });
      status.textContent = "Routewijzer zoekt een antwoord…";
    }
    fetch("/fragments/answer", { method: "POST", body: data, headers: { Accept: "text/html" } })
      .then(function (res) {
        if (res.ok) return res.text().then(function (html) { return { html: html }; });
        return res.json().then(function (body) { return { error: body.detail }; }, function () {
          return { error: "Er ging iets mis (" + res.status + "). Probeer het opnieuw." };
        });
      })
      .then(function (result) {
        if (pending) log.removeChild(pending);
        if (result.error) { status.textContent = ""; setStarted(previous.length > 0); showError(result.error); return; }
        clearError();
        var holder = document.createElement("div");
        holder.innerHTML = result.html;  // server-rendered, autoescaped template
        var turn = holder.querySelector(".turn");
        while (holder.firstChild) log.appendChild(holder.firstChild);
        enhance(log);
        var asked = turn && turn.querySelector(".turn-question");
        addContext(asked ? asked.lastChild.textContent : question);
        setStarted(true);
        save();
        input.value = "";
        fit();
        input.focus({ preventScroll: true });
        if (turn && turn.scrollIntoView) turn.scrollIntoView({ block: "start" });
        var text = turn ? turn.querySelector(".answer-text").textContent.replace(/\s+/g, " ").trim() : "";
        var n = turn ? turn.querySelectorAll(".citations > li").length : 0;
        status.textContent = "Antwoord: " + text + (n ? " (" + n + (n === 1 ? " bron)" : " bronnen)") : "");
      })
      .catch(function () {
        if (pending && pending.parentNode) log.removeChild(pending);
        status.textContent = "";
        showError("Routewijzer is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.");
      })
      .then(function () { busy = false; send.disabled = false; log.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(input.value);
  });

  if (restart) restart.addEventListener("click", function (event) {
    event.preventDefault();
    clear();
    log.textContent = "";
    each(form.querySelectorAll('input[name="context"]'), function (el) { el.parentNode.removeChild(el); });
    setStarted(false);
    clearError();
    input.value = "";
    fit();
    status.textContent = "Nieuw gesprek begonnen.";
    input.focus();
  });

  // ---- starters, feedback ----
  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (target.classList.contains("starter-form")) {
      event.preventDefault();
      var button = event.submitter;
      if (button && button.value) { input.focus({ preventScroll: true }); ask(button.value); }
    } else if (target.classList.contains("feedback")) {
      event.preventDefault();
      var b = event.submitter;
      if (b && b.classList.contains("thumb-down")) openReasons(target, b);
      else sendFeedback(target, b);
    }
  });

  function openReasons(fb, button) {
    var reasons = fb.querySelector(".reasons");
    reasons.hidden = false;
    button.setAttribute("aria-expanded", "true");
    var first = reasons.querySelector("input");
    if (first) first.focus();
  }

  function sendFeedback(fb, button) {
    var fbStatus = fb.querySelector(".feedback-status");
    var down = button && button.classList.contains("send-reason");
    var reason = fb.querySelector('input[name="reason"]:checked');
    var payload = {
      question: fb.elements.question.value,
      answer: fb.elements.answer.value,
      abstained: fb.elements.abstained.value === "true",
      rating: down ? "not_helpful" : "helpful",
      reason: down && reason ? reason.value : null,
      comment: down ? fb.elements.comment.value || null : null,
      citations: Array.prototype.map.call(fb.querySelectorAll('input[name="citations"]'), function (el) {
        return el.value;
      })
    };
    // One key per feedback form: a retry after a lost connection is not stored twice.
    if (!fb.dataset.key) {
      fb.dataset.key = window.crypto && crypto.randomUUID ? crypto.randomUUID()
        : String(Date.now()) + "-" + String(Math.random()).slice(2);
    }
    fetch("/api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": fb.dataset.key },
      body: JSON.stringify(payload)
    })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { fbStatus.textContent = r.body.detail || "Uw feedback kon niet worden opgeslagen."; return; }
        each(fb.querySelectorAll(".thumb-up, .thumb-down"), function (b) {
          b.disabled = true;
          var chosen = b.classList.contains(down ? "thumb-down" : "thumb-up");
          b.setAttribute("aria-pressed", chosen ? "true" : "false");
        });
        fb.querySelector(".reasons").hidden = true;
        fbStatus.textContent = r.body.message || "Bedankt voor uw feedback.";
        save();
      })
      .catch(function () { fbStatus.textContent = "Uw feedback kon niet worden verstuurd. Probeer het opnieuw."; });
  }

  // ---- sources: a [n] mark in the text opens its source chip ----
  document.addEventListener("click", function (event) {
    var ref = event.target.closest && event.target.closest(".cite-ref");
    if (!ref) return;
    var li = document.getElementById(ref.getAttribute("href").slice(1));
    var details = li && li.querySelector("details");
    if (!details) return;
    event.preventDefault();
    details.open = true;
    details.querySelector("summary").focus();
  });
  log.addEventListener("toggle", save, true);

  // ---- copy an answer with its sources ----
  function copyText(turn) {
    var lines = [];
    var q = turn.querySelector(".turn-question");
    if (q) lines.push("Vraag: " + q.lastChild.textContent.trim(), "");
    each(turn.querySelectorAll(".answer-text p, .answer-text li"), function (el) {
      var text = el.textContent.replace(/\s+/g, " ").trim();
      lines.push(el.tagName === "LI" ? "- " + text : text);
    });
    var note = turn.querySelector(".currency-note");
    if (note) lines.push("", note.textContent.trim());
    var cites = turn.querySelectorAll(".citations > li");
    if (cites.length) {
      lines.push("", "Bronnen:");
      each(cites, function (li, i) {
        var a = li.querySelector(".citation-link");
        var label = li.querySelector("summary").lastChild.textContent.trim();
        var url = new URL(a.getAttribute("data-url") || a.getAttribute("href"), window.location.href).href;
        var stand = li.querySelector(".stand");
        lines.push("[" + (i + 1) + "] " + label + " (" + a.textContent.trim() + "): " + url +
                   (stand ? " (" + stand.textContent.trim() + ")" : ""));
      });
    }
    return lines.join("\n");
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-answer");
    if (!button) return;
    var turn = document.getElementById(button.getAttribute("data-target"));
    var copyStatus = button.parentNode.querySelector(".copy-status");
    var text = copyText(turn);
    var done = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
      : fallbackCopy(text);
    done.then(function () { copyStatus.textContent = "Gekopieerd."; },
      function () { copyStatus.textContent = "Kopiëren lukte niet; selecteer de tekst zelf."; });
  });

  function enhance(root) {
    each(root.querySelectorAll(".copy-answer"), function (b) { b.hidden = false; });
    each(root.querySelectorAll(".thumb-down:not([aria-expanded])"), function (b) {
      if (!b.disabled) b.setAttribute("aria-expanded", "false");
    });
  }

  if (log.hasAttribute("data-empty")) restore(); else save();  // no-JS page with an answer: keep it
  enhance(document);
  fit();
})();
