/* The staff console's policy diff page (a static file: CSP-safe).
   - A refused upload's summary (#error-summary) takes the focus, so it is read out and in view.
   - A file over the page's limit is refused at the field before it is sent: the front door
     would cut the body and answer with its JSON error instead of this page. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
  }
  function checkSize() {
    var input = document.getElementById("id_policy_file");
    var error = document.getElementById("policy-file-too-large");
    if (!input || !error) return;
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    var tooLarge = Boolean(file && max && file.size > max);
    error.hidden = !tooLarge;
    input.setCustomValidity(tooLarge ? error.textContent.trim() : "");
  }
  function start() {
    var input = document.getElementById("id_policy_file");
    if (input) {
      input.addEventListener("change", checkSize);
      checkSize();
    }
    focusSummary();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
