// Route wizard result page: progressive enhancement (the page works without it).
// Ticks in the checklist go straight into the address bar and the permalink (never stored
// anywhere else); "Kopieer de link" and "Afdrukken" appear only when they can work.
(function () {
  "use strict";
  var form = document.querySelector(".wizard-checklist-form");
  var link = document.querySelector(".wizard-permalink-url");
  var copy = document.querySelector(".wizard-copy");
  var print = document.querySelector(".wizard-print");
  var copyStatus = document.querySelector(".wizard-copy-status");
  if (!link) return;

  function absolute(href) {
    return (link.getAttribute("data-base") || window.location.origin) + href;
  }

  if (form && window.URLSearchParams && window.history && window.history.replaceState) {
    var save = form.querySelector(".wizard-save-ticks");
    var status = form.querySelector(".wizard-ticks-status");
    if (save) save.hidden = true;
    form.addEventListener("change", function () {
      var params = new URLSearchParams();
      var print_view = false;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || (el.type === "checkbox" && !el.checked)) return;
        if (el.name === "_weergave") { print_view = true; return; }
        params.append(el.name, el.value);
      });
      var href = "/wizard/result?" + params.toString();
      link.setAttribute("href", href);
      link.textContent = absolute(href);
      window.history.replaceState(null, "", print_view ? href + "&_weergave=print" : href);
      var boxes = form.querySelectorAll('input[type="checkbox"]');
      var ticked = form.querySelectorAll('input[type="checkbox"]:checked');
      if (status) status.textContent = ticked.length + " van " + boxes.length + " afgevinkt.";
    });
  }

  function say(message) {
    if (copyStatus) copyStatus.textContent = message;
  }

  function selectLink() {
    var range = document.createRange();
    range.selectNodeContents(link);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say("Kopiëren lukte niet. De link is geselecteerd: kopieer hem met Ctrl+C (Cmd+C op een Mac).");
  }

  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var text = absolute(link.getAttribute("href"));
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () {
          say("De link is gekopieerd.");
        }, selectLink);
      } else {
        selectLink();
      }
    });
  }

  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
