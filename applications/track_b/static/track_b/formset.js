// Inline rows of 附件3's tables: "添加一行" clones the formset's empty form; "删除" marks a row for deletion.
(function () {
  "use strict";
  function renumber(rows) {
    var n = 0;
    rows.querySelectorAll(".row-card").forEach(function (card) {
      if (card.classList.contains("removed")) { return; }
      n += 1;
      var legend = card.querySelector("legend .n");
      if (legend) { legend.textContent = n; }
    });
  }
  var current = document.querySelector(".sidenav a.current");
  if (current && current.parentElement.parentElement.scrollWidth > current.parentElement.parentElement.clientWidth) {
    current.parentElement.parentElement.scrollLeft = current.offsetLeft - 16;
  }
  document.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.getAttribute("data-formset");
    var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = box.querySelector("template");
    var rows = box.querySelector(".rows");
    var add = box.querySelector("[data-add-row]");
    if (add && template && total) {
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var card = holder.firstElementChild;
        rows.appendChild(card);
        total.value = String(index + 1);
        renumber(rows);
        var first = card.querySelector("input:not([type=hidden]), select, textarea");
        if (first) { first.focus(); }
      });
    }
    box.addEventListener("change", function (event) {
      var target = event.target;
      if (target.name && /-DELETE$/.test(target.name)) {
        var card = target.closest(".row-card");
        if (card) { card.classList.toggle("removed", target.checked); renumber(rows); }
      }
    });
  });
})();
