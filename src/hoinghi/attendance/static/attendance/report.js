/* The attendance report's tables: a click (or Enter) on a header <th data-sort="num|text"> of a
 * table.sortable sorts its rows by that column: numbers by value (a cell's data-value when it has
 * one), text in Vietnamese order; the footer stays. */
(function () {
  "use strict";

  document.querySelectorAll("table.sortable").forEach((table) => {
    const collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
    table.querySelectorAll("th[data-sort]").forEach((th, index) => {
      th.tabIndex = 0;
      const sort = () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[aria-sort]").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const value = (row) => { const cell = row.cells[index]; return cell.dataset.value ?? cell.textContent.trim(); };
        const rows = [...body.rows].filter((row) => row.cells.length > 1);
        rows.sort((a, b) => {
          const x = value(a), y = value(b);
          const order = th.dataset.sort === "num" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); } });
    });
  });
})();
