// dateline's one script, compiled into the binary. Keyboard help only: every page works
// without it. "/" focuses the search box; "j" and "k" move between an article's events.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "/") {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if (e.key === "j" || e.key === "k") {
      var triggers = Array.prototype.slice.call(document.querySelectorAll("a[data-event][id]"));
      if (!triggers.length) return;
      var at = triggers.indexOf(document.activeElement);
      var next = e.key === "j" ? at + 1 : (at < 0 ? triggers.length - 1 : at - 1);
      next = Math.max(0, Math.min(triggers.length - 1, next));
      triggers[next].focus();
      e.preventDefault();
    }
  });
  // Opening an event card from the text moves the keyboard focus onto the card.
  window.addEventListener("hashchange", function () {
    var id = location.hash.slice(1);
    var card = id && document.getElementById(id);
    if (card && card.classList.contains("card")) card.focus();
  });
})();
