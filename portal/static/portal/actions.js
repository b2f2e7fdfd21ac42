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
  // Tables (WCAG 1.3.1, 2.1.1): a table's scroll box is focusable with role=region in the templates, so the
  // keyboard can scroll it; here the box is named after the table's caption or the heading before it, a table
  // without a caption gets that name too, and header cells without a scope get one (col in thead, else row).
  function headingBefore(el) {
    for (var node = el; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent; }
        var inner = prev.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) { return inner[inner.length - 1].textContent; }
      }
    }
    return "";
  }
  Array.prototype.forEach.call(document.querySelectorAll("table"), function (table) {
    var caption = table.querySelector("caption");
    var name = (caption ? caption.textContent : headingBefore(table)).replace(/\s+/g, " ").trim();
    var box = table.closest(".table-wrap[role=region]");
    if (name && box) { box.setAttribute("aria-label", name); }
    if (name && !caption && !table.hasAttribute("aria-label")) { table.setAttribute("aria-label", name); }
    Array.prototype.forEach.call(table.querySelectorAll("th:not([scope])"), function (th) {
      th.setAttribute("scope", th.closest("thead") ? "col" : "row");
    });
  });
  // A result shown after a submission (e.g. 未找到 on the verify form) takes the focus (WCAG 4.1.3, 2.4.3).
  var result = document.querySelector("[data-autofocus]");
  if (result) { result.focus(); }
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
