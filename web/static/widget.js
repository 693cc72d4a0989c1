/* Routewijzer widget: <script src="https://HOST/widget.js" data-title data-accent data-starters
   data-contact data-contact-url async></script>. A launcher and a panel in an open Shadow DOM;
   the chat runs in an iframe of HOST/embed. See docs/widget.md. */
(function () {
  "use strict";
  if (window.__routewijzerWidget || !document.querySelector || !window.fetch || !Element.prototype.attachShadow) return;
  window.__routewijzerWidget = true;
  var script = document.currentScript || document.querySelector('script[src*="/widget.js"]');
  var host = new URL(script.src, location.href).origin, data = script.dataset;

  function clean(value, max) {  // plain text: no tags, no control characters, single spaces
    var t = (value || "").replace(/<[^>]*>?/g, "").replace(/[\u0000-\u001f\u007f-\u009f<>]/g, " ")
      .replace(/\s+/g, " ").trim();
    return t.length > max ? t.slice(0, max - 1).trim() + "\u2026" : t;
  }
  var accent = (data.accent || "").trim();
  if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(accent)) accent = "#0b5563";
  if (accent.length === 4) accent = "#" + accent[1] + accent[1] + accent[2] + accent[2] + accent[3] + accent[3];
  var lum = [1, 3, 5].map(function (i) {
    var c = parseInt(accent.substr(i, 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  lum = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
  var onAccent = (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) ? "#000" : "#fff";
  var title = clean(data.title, 60) || "Routewijzer";

  var FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";
  var CSS = ":host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important;font-family:" + FONT + "!important}" +
    "*{box-sizing:border-box;font-family:" + FONT + ";color:#1b1f23;font-size:15px;line-height:1.4;letter-spacing:normal;text-transform:none}" +
    ".launcher,.close{all:unset;box-sizing:border-box;display:inline-flex;align-items:center;gap:8px;cursor:pointer;background:" + accent + ";color:" + onAccent + ";font-family:" + FONT + ";font-weight:600}" +
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;padding:12px 18px;border-radius:24px;box-shadow:0 2px 10px rgba(0,0,0,.3);font-size:16px}" +
    ".launcher svg{width:20px;height:20px;fill:currentColor}.launcher span{color:inherit;font:inherit}" +
    ".launcher:focus-visible,.close:focus-visible,a:focus-visible{outline:3px solid #1b1f23;outline-offset:2px;box-shadow:0 0 0 6px #ffbf47}" +
    ".panel{position:fixed;right:20px;bottom:84px;z-index:2147483001;width:min(400px,calc(100vw - 24px));height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border:1px solid #c9d2da;border-radius:10px;overflow:hidden;box-shadow:0 6px 30px rgba(0,0,0,.3)}" +
    ".panel[hidden]{display:none}.head{display:flex;align-items:center;justify-content:space-between;padding:8px 8px 8px 14px;background:" + accent + "}" +
    "h2{margin:0;font-size:16px;font-weight:700;color:" + onAccent + ";overflow:hidden;text-overflow:ellipsis;white-space:nowrap}" +
    ".close{justify-content:center;width:36px;height:36px;border-radius:6px;font-size:22px}" +
    ".body{flex:1;display:flex;min-height:0}iframe{flex:1;border:0;width:100%;height:100%}" +
    "@media (prefers-color-scheme:dark){.panel{background:#14191d;border-color:#3c4a55}}" +
    "@media (max-width:480px){.panel{inset:0;width:auto;height:auto;border-radius:0}}";

  var el = document.createElement("routewijzer-widget");
  var shadow = el.attachShadow({ mode: "open" });
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);  // constructable sheet: not blocked by a host page's style-src CSP
    shadow.adoptedStyleSheets = [sheet];
  } catch (e) {
    var style = document.createElement("style");
    style.textContent = CSS;
    shadow.appendChild(style);
  }
  var wrap = document.createElement("div");
  wrap.innerHTML =
    '<button type="button" class="launcher" aria-expanded="false" aria-controls="rw-panel" aria-haspopup="dialog">' +
    '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>' +
    '<span></span></button>' +
    '<div class="panel" id="rw-panel" role="dialog" aria-modal="true" aria-labelledby="rw-title" hidden>' +
    '<div class="head"><h2 id="rw-title"></h2><button type="button" class="close" aria-label="Sluiten">\u00d7</button></div>' +
    '<div class="body"></div></div>';
  while (wrap.firstChild) shadow.appendChild(wrap.firstChild);
  var launcher = shadow.querySelector(".launcher"), panel = shadow.querySelector(".panel");
  var closeBtn = shadow.querySelector(".close"), body = shadow.querySelector(".body");
  launcher.querySelector("span").textContent = clean(data.label, 40) || "Stel een vraag";
  shadow.getElementById("rw-title").textContent = title;
  var frame = null;

  function focusFrame() {
    if (!frame) return closeBtn.focus();
    frame.focus();
    frame.contentWindow.postMessage({ routewijzer: "focus-first" }, host);
  }
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!frame) {  // the chat loads on first open; reopening keeps the conversation
      var q = new URLSearchParams({ origin: location.origin, title: title, accent: accent,
        starters: data.starters || "", contact: data.contact || "", contact_url: data.contactUrl || "" });
      frame = document.createElement("iframe");
      frame.title = title + ": chat";
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
      frame.setAttribute("allow", "clipboard-write");
      frame.src = host + "/embed?" + q;
      body.appendChild(frame);
    }
    focusFrame();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeBtn.addEventListener("click", close);
  shadow.addEventListener("keydown", function (e) {
    if (panel.hidden) return;
    if (e.key === "Escape") { e.preventDefault(); close(); return; }
    if (e.key !== "Tab") return;
    var active = shadow.activeElement;
    if (e.shiftKey && active === closeBtn) {  // backwards from the close button: into the chat's end
      e.preventDefault();
      frame.focus();
      frame.contentWindow.postMessage({ routewijzer: "focus-last" }, host);
    } else if (!panel.contains(active)) {
      e.preventDefault();
      closeBtn.focus();
    }
  });
  window.addEventListener("message", function (e) {
    if (e.origin !== host || !frame || e.source !== frame.contentWindow || !e.data) return;
    var type = e.data.routewijzer;
    if (type === "close") close();
    else if (type === "tab-out") closeBtn.focus();
    else if (type === "ready" && !panel.hidden) focusFrame();
  });
  function mount() { document.body.appendChild(el); }
  // Visitors see the launcher only when Routewijzer accepts this site; otherwise the site owner
  // finds one clear warning in the browser console (CORS hides the refusal, a no-cors probe
  // tells "not on the list" from "not reachable").
  fetch(host + "/api/widget/config", { mode: "cors", credentials: "omit" }).then(function (res) {
    if (!res.ok) throw new Error("refused");
    if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  }).catch(function () {
    var warn = function (text) { if (window.console) console.warn("Routewijzer-widget: " + text); };
    fetch(host + "/healthz", { mode: "no-cors", credentials: "omit" }).then(function () {
      warn("deze website (" + location.origin + ") staat niet in ASSISTANT_WIDGET_ORIGINS van " + host +
        ". De widget wordt niet getoond. Vraag de beheerder van Routewijzer om deze origin toe te voegen.");
    }, function () { warn(host + " is niet bereikbaar; de widget wordt niet getoond."); });
  });
})();
