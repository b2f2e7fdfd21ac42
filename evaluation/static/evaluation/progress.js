/* Polls a cohort evaluation's progress (JSON) and updates the bar; reloads the page when it ends. No dependencies. */
(function () {
  "use strict";
  var box = document.getElementById("run");
  if (!box || box.getAttribute("data-finished") === "1") { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("run-bar");
  var status = document.getElementById("run-status");
  var count = document.getElementById("run-count");
  function tick() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (p) {
        bar.setAttribute("aria-valuenow", p.percent);
        bar.firstElementChild.style.width = p.percent + "%";
        status.textContent = p.status_label;
        count.textContent = p.done + " / " + p.total;
        if (p.finished) { window.location.reload(); } else { window.setTimeout(tick, 1000); }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 500);
}());
