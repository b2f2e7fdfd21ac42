/* The panel page: the external share, live as members are ticked (通知 三(二)2(2): 校外专家不少于三分之二).
   Static file, no inline script (the portal's CSP allows scripts from its own origin only). The server checks
   the same rule again when the panel is submitted. */
(function () {
  "use strict";
  var form = document.querySelector("[data-panel-form]");
  if (!form) { return; }
  var out = form.querySelector("[data-role=share]");
  var boxes = form.querySelectorAll("input[name=experts]");

  function update() {
    var n = 0, external = 0;
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.checked) {
        n += 1;
        if (box.getAttribute("data-kind") === "external") { external += 1; }
      }
    });
    var need = Math.ceil((2 * n) / 3);
    var ok = n >= Number(form.getAttribute("data-min-size")) && external >= need;
    out.textContent = "已选 " + n + " 名，其中校外专家 " + external + " 名" +
      (n ? "（至少需要 " + need + " 名）" : "") +
      (n && external < need ? "：校外专家不足三分之二，不能组建。" : (ok ? "：符合要求。" : "。"));
    out.className = ok ? "ok" : (n ? "bad" : "hint");
    out.setAttribute("data-external", String(external));
    out.setAttribute("data-total", String(n));
    out.setAttribute("data-ok", ok ? "true" : "false");
  }

  Array.prototype.forEach.call(boxes, function (box) { box.addEventListener("change", update); });
  update();
}());
