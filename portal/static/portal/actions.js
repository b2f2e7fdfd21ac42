// Small page behaviours as data attributes (the CSP allows no inline script or on… handler):
// [data-print] prints the page; form[data-confirm] asks before submitting; select[data-autosubmit]
// submits its form when changed. The ☰ button opens and closes the menu on narrow screens (WCAG 2.1.1:
// a real button, reachable by Tab, with aria-expanded); without script the menu simply stays open.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && nav) {
    toggle.hidden = false;
    nav.setAttribute("data-collapsed", "");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      if (open) { nav.setAttribute("data-collapsed", ""); } else { nav.removeAttribute("data-collapsed"); }
    });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-print]");
    if (button) { e.preventDefault(); window.print(); }
  });
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) { e.preventDefault(); }
  });
  document.addEventListener("change", function (e) {
    var select = e.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });
})();
