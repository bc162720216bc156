// The API docs page: Swagger UI draws some form controls with no name (an example's menu, a true/false parameter's
// menu, the request body's text box), which a screen reader reads as a bare "combo box". Name them as they appear.
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
    root.querySelectorAll("select, textarea, input").forEach(function (control) {
      if (control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby") || (control.labels && control.labels.length)) return;
      var name = nameOf(control);
      if (name) control.setAttribute("aria-label", name);
    });
  }

  new MutationObserver(nameControls).observe(root, { childList: true, subtree: true });
})();
