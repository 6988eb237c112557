// The module page's list of modules: open as a sidebar on wide screens, collapsed under its
// summary on phones. Without JavaScript it stays collapsed and opens on a tap.
// Loaded from templates/modules/includes/module_nav.html; no inline scripts (CSP).
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 64rem)");
  function sync() {
    document.querySelectorAll("details[data-module-nav]").forEach(function (details) {
      details.open = wide.matches;
    });
  }
  wide.addEventListener("change", sync);
  sync();
})();
