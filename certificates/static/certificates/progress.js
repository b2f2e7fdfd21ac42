// Polls a batch's progress and reloads the page when it is done (the list of certificates appears).
(function () {
  const box = document.getElementById("batch");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  const bar = box.querySelector(".progress > span");
  const count = box.querySelector('[data-role="count"]');
  async function poll() {
    try {
      const data = await (await fetch(box.dataset.progress, { headers: { Accept: "application/json" } })).json();
      bar.style.width = data.percent + "%";
      count.textContent = data.done + " / " + data.total;
      if (data.status === "done" || data.status === "failed") { location.reload(); return; }
    } catch (error) { /* offline for a moment: try again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
