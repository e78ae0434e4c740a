/* devcenter portal: the little the pages need from script (a static file: CSP-safe).
   - A refused form's summary (#error-summary) takes the focus, so it is read out and in view.
   - A copy button copies the text of the element it names. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }
  function copy(event) {
    var button = event.target.closest(".copy-button");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      var label = button.firstChild;
      var before = label.nodeValue;
      label.nodeValue = button.getAttribute("data-copied");
      window.setTimeout(function () { label.nodeValue = before; }, 2000);
    });
  }
  document.addEventListener("click", copy);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
