// The API docs page: Swagger UI draws some controls with no name (an example's menu, a true/false parameter's menu,
// the request body's text box, the dialog's close button), which a screen reader reads as a bare "combo box" or
// "button". Name them as they appear.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.MutationObserver) return;

  function nameOf(control) {
    var parameter = control.closest("tr[data-param-name]");
    var answer = control.closest("tr[data-code]");
    if (control.classList.contains("examples-select-element")) {
      if (parameter) return "Example value of " + parameter.dataset.paramName;
      if (answer) return "Example answer " + answer.dataset.code;
      return "Example request body";
    }
    if (parameter) return parameter.dataset.paramName;
    if (control.closest(".body-param")) return "Request body";
    return null;
  }

  function nameControls() {
    // The Authorize dialog: a close button with only an icon, and Authorize buttons named "Apply credentials",
    // which a voice-control user saying the word on the button ("Authorize") cannot reach.
    root.querySelectorAll("button.close-modal:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Close");
    });
    root.querySelectorAll(".auth-btn-wrapper button[aria-label]").forEach(function (button) {
      var text = button.textContent.trim();
      if (text && button.getAttribute("aria-label").indexOf(text) === -1) button.removeAttribute("aria-label");
    });
    root.querySelectorAll("select, textarea, input").forEach(function (control) {
      if (control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby") || (control.labels && control.labels.length)) return;
      var name = nameOf(control);
      if (name) control.setAttribute("aria-label", name);
    });
  }

  new MutationObserver(nameControls).observe(root, { childList: true, subtree: true });
})();
