// Live word count under each written reflection (the server checks the minimum anyway).
// Loaded from templates/quizzes/includes/quiz_form.html; no inline scripts (CSP).
(function () {
  "use strict";
  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }
  document.querySelectorAll("textarea[data-word-count]").forEach(function (area) {
    var output = document.getElementById(area.getAttribute("data-word-count"));
    if (!output) {
      return;
    }
    var template = output.getAttribute("data-template");
    function update() {
      output.textContent = template.replace("%(count)s", String(countWords(area.value)));
    }
    area.addEventListener("input", update);
    update();
  });
})();
