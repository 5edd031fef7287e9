/* The statistics page follows its live view (live.py, "learning_reports.statistics"): a
 * snapshot on connect, then an update whenever reports are submitted, allocated, marked,
 * returned or released. Each carries, per row unit, its cells in the table's order (required,
 * submitted, on time, marked, released, then the grade bands), the unit's own row or the total,
 * and how many have not submitted. While the socket is down the page polls the same snapshot
 * (config.poll) every config.every ms (core's hoinghi.live.follow).
 */
(function () {
  "use strict";

  const gettext = window.gettext || ((text) => text);
  const $ = (id) => document.getElementById(id);
  const config = JSON.parse($("statistics-config").textContent);
  const STATES = {
    connecting: gettext("Đang kết nối…"),
    live: gettext("Trực tiếp"),
    polling: gettext("Dự phòng: cập nhật 5 giây một lần"),
    down: gettext("Mất kết nối máy chủ — đang thử lại"),
    forbidden: "",
  };
  const number = new Intl.NumberFormat(document.documentElement.lang || "vi"); // as the page prints them
  let shown = -1; // the version drawn

  function fill(row, cells) {
    if (!row || !cells) return;
    row.querySelectorAll("td.n").forEach((cell, index) => {
      const text = number.format(cells[index]);
      if (cell.textContent !== text) {
        cell.textContent = text;
        cell.classList.remove("changed");
        void cell.offsetWidth; // restart the highlight
        cell.classList.add("changed");
      }
    });
  }

  function draw(message) {
    if (!message || (message.type !== "snapshot" && message.type !== "update")) return;
    if (typeof message.version === "number") {
      if (message.version < shown) return;
      shown = message.version;
    }
    const points = message.type === "snapshot" ? message.points : message.points_changed;
    (points || []).forEach((point) => {
      fill(document.querySelector(`#statistics tr[data-unit="${point.id}"]`), point.cells);
    });
    fill($("statistics-own"), message.own);
    fill($("statistics-total"), message.total);
    if (typeof message.missing === "number") $("missing-count").textContent = number.format(message.missing);
  }

  window.hoinghi.live.follow({
    socket: config.socket,
    receive: draw,
    poll: () => window.hoinghi.live.json(config.poll).then(draw),
    every: config.every,
    status: (state) => {
      $("statistics-status").dataset.state = state;
      $("statistics-status").textContent = STATES[state];
    },
  });
})();
