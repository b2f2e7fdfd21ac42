// Small page behaviours as data attributes (the CSP allows no inline script or on… handler):
// [data-print] prints the page; form[data-confirm] asks before submitting; select[data-autosubmit]
// submits its form when changed.
(function () {
  "use strict";
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
