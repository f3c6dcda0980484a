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

  // Input types that take typed text. A focused radio button (after the expert clicks a
  // rating) takes no text, so the verdict keys must still work there.
  var textInputTypes = ["text", "search", "email", "number", "password", "tel", "url"];

  function isTyping(target) {
    if (!target) { return false; }
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    return target.tagName === "INPUT" && textInputTypes.indexOf(target.type) !== -1;
  }

  document.addEventListener("keydown", function (event) {
    // Keys typed into another form on the page (the skip reason) are that form's own.
    if (event.target && event.target.form && event.target.form !== form) { return; }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var verdict = verdictKeys[event.key];
    if (verdict) {
      var radio = form.querySelector("input[name=verdict][value=" + verdict + "]");
      if (radio) { radio.checked = true; }
    }
  });

  // One submission per page: neither a double click nor a second Ctrl+Enter (which calls
  // requestSubmit even while the button is disabled) sends the form twice.
  var submitted = false;
  form.addEventListener("submit", function (event) {
    if (submitted) {
      event.preventDefault();
      return;
    }
    submitted = true;
    var button = document.getElementById("submit-judgment");
    if (button) { button.disabled = true; }
  });
})();
