/* A unit's resolution dashboard: each indicator's trend with its projection to the deadline, the
 * children ranked, a map of provinces; then live updates.
 *
 * The figures come from the page's json_script element "board-data" (resolutions/charts.py,
 * `board_data`), drawn with the vendored Apache ECharts (window.echarts) and Leaflet (window.L),
 * both classic deferred scripts that run before this module. The live view
 * (resolutions/live.py) sends the same figures, whole, on connect and whenever values arrive:
 * the page redraws the charts and rewrites the table's figures. No inline script (the CSP).
 */

const gettext = window.gettext || ((text) => text); // the JavaScript catalogue (core/catalogue.py)
const L10N = {
  value: gettext("Kết quả"),
  projection: gettext("Dự báo"),
  clampedTop: gettext("dự báo dừng ở 100%"),
  clampedBottom: gettext("dự báo dừng ở 0"),
  target: gettext("Mục tiêu"),
  met: gettext("đạt"),
  near: gettext("gần đạt"),
  unmet: gettext("chưa đạt"),
  none: gettext("chưa có số liệu"),
  live: gettext("Trực tiếp"),
  down: gettext("Mất kết nối máy chủ — đang thử lại"),
};
const COLOURS = { met: "#2e7d4f", near: "#d68910", unmet: "#c0392b", none: "#9aa5b5" };
const board = document.getElementById("board");
const source = document.getElementById("board-data");
const charts = new Map();
let data = source ? JSON.parse(source.textContent) : null;
let map = null;
let markers = null;

const fmt = (value) => (value === null || value === undefined ? "—" : value.toLocaleString("vi-VN", { maximumFractionDigits: 1 }));

function chart(element) {
  let instance = charts.get(element);
  if (!instance) {
    instance = window.echarts.init(element, null, { renderer: "canvas" });
    charts.set(element, instance);
  }
  return instance;
}

function trendOption(indicator) {
  // A time axis: the dashed projection spans the years to the deadline at their true length.
  const values = indicator.ends.map((end, index) => [end, indicator.values[index]]);
  const known = values.filter((point) => point[1] !== null);
  const p = indicator.projection;
  const projected = known.length && p.value !== null && p.until_iso > known[known.length - 1][0] ? [known[known.length - 1], [p.until_iso, p.value]] : [];
  const colour = p.status === "off_track" ? COLOURS.unmet : p.status === "on_track" ? COLOURS.met : COLOURS.none;
  const suffix = indicator.unit === "%" ? "%" : "";
  return {
    // A line that would pass 100 % (or fall below 0) was stopped there: said under the title.
    title: { text: indicator.name, textStyle: { fontSize: 12, fontWeight: "normal", width: 280, overflow: "truncate" }, left: 0 },

    tooltip: { trigger: "axis", valueFormatter: (value) => fmt(value) + suffix },
    grid: { left: 56, right: 16, top: 36, bottom: 24 },
    xAxis: { type: "time", axisLabel: { fontSize: 10, hideOverlap: true } },
    // The target stays in view, however far the values are from it.
    yAxis: { type: "value", axisLabel: { fontSize: 10 }, min: (extent) => Math.min(extent.min, indicator.target, 0), max: (extent) => Math.max(extent.max, indicator.target) },
    series: [
      {
        name: L10N.value,
        type: "line",
        data: values,
        connectNulls: true,
        symbolSize: 5,
        lineStyle: { color: "#2f5d9b" },
        itemStyle: { color: "#2f5d9b" },
        markLine: {
          silent: true,
          symbol: "none",
          label: { formatter: L10N.target + " " + fmt(indicator.target) + suffix, fontSize: 10, position: "insideEndTop" },
          lineStyle: { color: "#888", type: "dotted" },
          data: [{ yAxis: indicator.target }],
        },
      },
      {
        name: L10N.projection,
        type: "line",
        data: projected,
        symbolSize: 5,
        lineStyle: { color: colour, type: "dashed" },
        itemStyle: { color: colour },
        // A line that would pass 100 % (or fall below 0) was stopped there: said at its end,
        // left of the point and off the line, inside the chart.
        label: {
          show: Boolean(p.clamped),
          position: "left",
          offset: [0, p.value > 0 ? 14 : -14],
          fontSize: 10,
          color: colour,
          formatter: (item) => (item.dataIndex === 1 ? (p.value > 0 ? L10N.clampedTop : L10N.clampedBottom) : ""),
        },
      },
    ],
  };
}

function rankingOption(ranking) {
  const children = [...ranking.children].reverse(); // the best at the top
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 210, right: 40, top: 16, bottom: 24 },
    xAxis: { type: "value", axisLabel: { fontSize: 10 } },
    yAxis: { type: "category", data: children.map((c) => c.name), axisLabel: { fontSize: 11, width: 200, overflow: "truncate" } },
    series: [
      {
        name: ranking.name,
        type: "bar",
        data: children.map((c) => ({ value: c.value, itemStyle: { color: COLOURS[c.met] } })),
        label: { show: true, position: "right", fontSize: 10, formatter: (item) => fmt(item.value) },
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#888", type: "dotted" }, data: [{ xAxis: ranking.target }] },
      },
    ],
  };
}

function drawMap(ranking) {
  const box = document.getElementById("indicator-map");
  if (!box || !window.L) return;
  const legend = document.getElementById("map-legend");
  box.hidden = !ranking.map;
  if (legend) legend.hidden = box.hidden;
  if (box.hidden) return;
  if (!map) {
    map = window.L.map(box, { zoomSnap: 0.25, attributionControl: false, scrollWheelZoom: false });
    map.fitBounds([[8.3, 102.1], [23.4, 115.2]]);
    fetch(board.dataset.outline)
      .then((response) => response.json())
      .then((outline) => {
        window.L.geoJSON(outline, { interactive: false, style: { color: "#9fb0c8", weight: 1, fillColor: "#ffffff", fillOpacity: 1 } })
          .addTo(map)
          .bringToBack();
      })
      .catch(() => {});
    markers = window.L.layerGroup().addTo(map);
  }
  markers.clearLayers();
  const suffix = ranking.unit === "%" ? "%" : "";
  for (const child of ranking.children) {
    if (child.lat === null || child.lon === null) continue;
    const colour = COLOURS[child.met];
    const marker = window.L.circleMarker([child.lat, child.lon], { radius: 7, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.9 });
    marker.bindTooltip(`${child.name}: ${fmt(child.value)}${suffix} (${L10N[child.met]})`);
    marker.on("click", () => window.location.assign(child.url));
    marker.addTo(markers);
  }
}

function draw() {
  if (!data || !window.echarts) return;
  const byCode = new Map(data.indicators.map((indicator) => [indicator.code, indicator]));
  for (const element of document.querySelectorAll(".trend-chart")) {
    const indicator = byCode.get(element.dataset.code);
    if (indicator) chart(element).setOption(trendOption(indicator), true);
  }
  const ranking = document.getElementById("ranking");
  if (ranking && data.ranking) {
    ranking.style.height = `${Math.max(160, data.ranking.children.length * 22 + 40)}px`;
    chart(ranking).resize();
    chart(ranking).setOption(rankingOption(data.ranking), true);
    drawMap(data.ranking);
  }
}

function badge(kind, text) {
  const span = document.createElement("span");
  span.className = `badge ${kind}`;
  span.textContent = text;
  return span;
}

function applyTable() {
  for (const indicator of data.indicators) {
    const row = board.querySelector(`tr[data-code="${CSS.escape(indicator.code)}"]`);
    if (!row) continue;
    const suffix = indicator.unit === "%" ? "%" : "";
    const value = row.querySelector('[data-field="value"]');
    if (value) value.replaceChildren(indicator.value === null ? "—" : fmt(indicator.value) + suffix);
    const progress = row.querySelector('[data-field="progress"]');
    if (progress) progress.style.width = `${indicator.progress}%`;
    const met = row.querySelector('[data-field="met"]');
    if (met) met.replaceChildren(badge(indicator.met === "met" ? "ok" : indicator.met === "unmet" ? "bad" : "", L10N[indicator.met]));
    const projection = row.querySelector('[data-field="projection"]');
    if (projection) {
      const p = indicator.projection;
      const parts = [badge(p.status, p.label)];
      if (p.value !== null) {
        const note = document.createElement("div");
        note.className = "muted small";
        // A projected count is a whole number of members or units; a ratio keeps a decimal.
        note.textContent = `${suffix ? fmt(p.value) : Math.round(p.value).toLocaleString("vi-VN")}${suffix} · ${p.until}`;
        parts.push(note);
        if (p.clamped) {
          const clamped = document.createElement("div");
          clamped.className = "muted small";
          clamped.textContent = p.value > 0 ? L10N.clampedTop : L10N.clampedBottom;
          parts.push(clamped);
        }
      }
      projection.replaceChildren(...parts);
    }
  }
}

function follow() {
  const state = document.getElementById("live-state");
  let delay = 1000;
  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}${board.dataset.live}`);
    socket.addEventListener("open", () => {
      delay = 1000;
      state.hidden = false;
      state.className = "badge ok";
      state.textContent = L10N.live;
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "error") {
        state.hidden = true;
        socket.close();
        return;
      }
      if (message.type !== "snapshot" && message.type !== "update") return;
      if (!message.indicators || message.unit !== data.unit || message.period !== data.period) return;
      // The live view ranks the first page by the default indicator: another page or another
      // indicator keeps the ranking the page was drawn with.
      const mine = data.ranking;
      const theirs = message.ranking;
      if (mine && (!theirs || theirs.code !== mine.code || theirs.offset !== mine.offset)) message.ranking = mine;
      data = message;
      applyTable();
      draw();
      board.dataset.version = String(message.version);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4403) return; // refused: stop
      state.className = "badge warn";
      state.textContent = L10N.down;
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
}

if (data && board) {
  draw();
  window.addEventListener("resize", () => {
    for (const instance of charts.values()) instance.resize();
    if (map) map.invalidateSize();
  });
  if (board.dataset.live && "WebSocket" in window) follow();
}
