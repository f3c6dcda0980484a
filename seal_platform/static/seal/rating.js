// Keyboard shortcuts and active-time tracking for the rating page. The page works without it.
(function () {
  "use strict";
  var form = document.getElementById("judgment-form");
  if (!form) { return; }
  var verdictKeys = { "1": "a", "2": "b", "3": "tie", "4": "both_bad" };
  var activeSeconds = 0;
  var timeField = form.querySelector("input[name=active_seconds]");

  // Count only seconds while the page is visible, as the expert's time spent on the task.
  window.setInterval(function () {
    if (document.visibilityState === "visible") {
      activeSeconds += 1;
      if (timeField) { timeField.value = String(activeSeconds); }
    }
  }, 1000);

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var verdict = verdictKeys[event.key];
    if (verdict) {
      var radio = form.querySelector("input[name=verdict][value=" + verdict + "]");
      if (radio) { radio.checked = true; }
    }
  });

  // One submission per page: a double click cannot send the form twice.
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit-judgment");
    if (button) { button.disabled = true; }
  });
})();
