// Repeating rows of 附件1's tables and of the committee list (moved out of the pages: the CSP allows no
// inline script). "添加一行" clones <template id="empty-row">; #rows[data-max] caps the rows; a row with
// [data-ratio] shows its practice-hours ratio, worded by #rows[data-ratio-label] / [data-ratio-low].
(function () {
  "use strict";
  var rows = document.getElementById("rows"), tpl = document.getElementById("empty-row");
  var total = document.querySelector("input[name$='-TOTAL_FORMS']"), add = document.getElementById("add-row");
  if (!rows || !tpl || !total || !add) { return; }
  var max = parseInt(rows.dataset.max || "0", 10);
  var label = rows.dataset.ratioLabel || "", low = rows.dataset.ratioLow || "";
  function count() { return rows.querySelectorAll("[data-row]").length; }
  function refresh() { if (max) { add.disabled = count() >= max; } }
  function ratio(row) {
    var out = row.querySelector("[data-ratio]"); if (!out) { return; }
    var t = row.querySelector("input[name$='-total_hours']"), p = row.querySelector("input[name$='-practice_hours']");
    var tv = parseInt(t && t.value, 10), pv = parseInt(p && p.value, 10);
    if (!tv || isNaN(pv)) { out.textContent = ""; return; }
    var ok = pv * 100 >= tv * 30;
    out.textContent = label + " " + (Math.round(pv * 1000 / tv) / 10) + "%" + (ok ? "" : " " + low);
    out.className = "ratio " + (ok ? "ok" : "flag");
  }
  rows.addEventListener("input", function (e) { var r = e.target.closest("[data-row]"); if (r) { ratio(r); } });
  rows.querySelectorAll("[data-row]").forEach(ratio);
  add.addEventListener("click", function () {
    if (max && count() >= max) { return; }
    var n = parseInt(total.value, 10);
    rows.insertAdjacentHTML("beforeend", tpl.innerHTML.replace(/__prefix__/g, n));
    total.value = n + 1; refresh();
  });
  refresh();
})();
