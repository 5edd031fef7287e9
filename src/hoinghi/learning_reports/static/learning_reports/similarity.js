// The organiser's page: while a copied-text pass is queued or running, its progress is asked
// for every two seconds; when it is done the page reloads to show the new flags.
(function () {
  "use strict";
  const box = document.getElementById("similarity-run");
  if (!box) return;
  const running = (status) => status === "queued" || status === "running";
  if (!running(box.dataset.status)) return;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const run = await response.json();
        const bar = document.getElementById("similarity-run-bar");
        const label = document.getElementById("similarity-run-label");
        if (bar && run.total) { bar.max = run.total; bar.value = run.done; }
        if (label) label.textContent = run.label;
        if (!running(run.status)) { window.location.reload(); return; }
      }
    } catch (error) { /* a dropped link: ask again at the next tick */ }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
})();
