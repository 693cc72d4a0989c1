// Routewijzer chat: progressive enhancement of the server-rendered forms (the page works without it).
(function () {
  "use strict";
  var form = document.getElementById("vraagformulier");
  var log = document.getElementById("gesprek");
  if (!form || !log || !window.fetch) return;
  var input = document.getElementById("vraag");
  var error = document.getElementById("vraag-fout");
  var starters = document.querySelector(".starters");
  var restart = document.getElementById("nieuw-gesprek");
  var busy = false;

  function context() {
    return Array.prototype.map.call(form.querySelectorAll('input[name="context"]'), function (el) {
      return el.value;
    });
  }

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

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".copy-answer"), function (b) { b.hidden = false; });
  }

  function ask(question) {
    if (busy) return;
    var previous = context();
    var data = new FormData();
    data.append("question", question);
    previous.forEach(function (q) { data.append("context", q); });
    busy = true;
    log.setAttribute("aria-busy", "true");
    fetch("/fragments/answer", { method: "POST", body: data, headers: { Accept: "text/html" } })
      .then(function (res) {
        if (res.ok) return res.text().then(function (html) { return { html: html }; });
        return res.json().then(function (body) { return { error: body.detail }; }, function () {
          return { error: "Er ging iets mis (" + res.status + "). Probeer het opnieuw." };
        });
      })
      .then(function (result) {
        if (result.error) { showError(result.error); return; }
        clearError();
        var holder = document.createElement("div");
        holder.innerHTML = result.html;  // server-rendered, autoescaped template
        var turn = holder.firstElementChild;
        while (holder.firstChild) log.appendChild(holder.firstChild);
        log.removeAttribute("data-empty");
        enhance(log);
        var asked = turn && turn.querySelector(".turn-question");
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "context";
        hidden.value = asked ? asked.lastChild.textContent : question;
        form.appendChild(hidden);
        if (starters) starters.hidden = true;
        if (restart) restart.hidden = false;
        input.value = "";
        input.focus();
        if (turn && turn.scrollIntoView) turn.scrollIntoView({ block: "start" });
      })
      .catch(function () { showError("Routewijzer is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw."); })
      .then(function () { busy = false; log.removeAttribute("aria-busy"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(input.value);
  });

  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (target.classList.contains("starter-form")) {
      event.preventDefault();
      var button = event.submitter;
      if (button && button.value) ask(button.value);
    } else if (target.classList.contains("feedback")) {
      event.preventDefault();
      sendFeedback(target, event.submitter);
    }
  });

  function sendFeedback(fb, button) {
    var status = fb.querySelector(".feedback-status");
    var payload = {
      question: fb.elements.question.value,
      answer: fb.elements.answer.value,
      abstained: fb.elements.abstained.value === "true",
      rating: button ? button.value : "helpful",
      reason: fb.elements.reason.value || null,
      comment: fb.elements.comment.value || null,
      citations: Array.prototype.map.call(fb.querySelectorAll('input[name="citations"]'), function (el) {
        return el.value;
      })
    };
    fetch("/api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload)
    })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) { status.textContent = r.body.detail || "Uw feedback kon niet worden opgeslagen."; return; }
        Array.prototype.forEach.call(fb.querySelectorAll("button"), function (b) {
          b.disabled = true;
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        var details = fb.querySelector("details");
        if (details) details.hidden = true;
        status.textContent = r.body.message || "Bedankt voor uw feedback.";
      })
      .catch(function () { status.textContent = "Uw feedback kon niet worden verstuurd. Probeer het opnieuw."; });
  }

  function copyText(turn) {
    var lines = [];
    var q = turn.querySelector(".turn-question");
    if (q) lines.push("Vraag: " + q.lastChild.textContent.trim(), "");
    Array.prototype.forEach.call(turn.querySelectorAll(".answer-text p, .answer-text li"), function (el) {
      var text = el.textContent.replace(/\s+/g, " ").trim();
      lines.push(el.tagName === "LI" ? "- " + text : text);
    });
    var note = turn.querySelector(".currency-note");
    if (note) lines.push("", note.textContent.trim());
    var cites = turn.querySelectorAll(".citation-link");
    if (cites.length) {
      lines.push("", "Bronnen:");
      Array.prototype.forEach.call(cites, function (a, i) {
        var url = new URL(a.getAttribute("data-url") || a.getAttribute("href"), window.location.href).href;
        var stand = a.parentNode.querySelector(".stand");
        lines.push("[" + (i + 1) + "] " + a.textContent.trim() + ": " + url +
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
    var status = button.parentNode.querySelector(".copy-status");
    var text = copyText(turn);
    var done = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
      : fallbackCopy(text);
    done.then(function () { status.textContent = "Antwoord met bronnen gekopieerd."; },
      function () { status.textContent = "Kopiëren lukte niet; selecteer de tekst zelf."; });
  });

  enhance(document);
})();
