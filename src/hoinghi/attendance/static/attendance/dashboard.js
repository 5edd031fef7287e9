/* The live dashboard: draws a snapshot, follows the WebSocket, polls while it is down.
 *
 * The server sends a whole snapshot (attendance/dashboard.py) on connect and to every poll, so a
 * reconnecting page simply draws the fresh one. Then, at most twice a second, an update: every
 * figure, but only the fields of the points that changed (core/live/broadcasting.py, `update_message`).
 * An update computed against a newer snapshot than the page holds (`base`) means one was missed:
 * the page fetches a fresh snapshot rather than apply it. While the socket is closed the page
 * polls the API every 5 s and retries the socket with backoff (1 s … 30 s).
 * A socket that stays quiet longer than 40 s (the server refreshes every 15 s) is treated as dead.
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const read = (id) => JSON.parse($(id).textContent);
  const gettext = window.gettext || ((text) => text); // the JavaScript catalogue (core/catalogue.py)
  const L10N = {
    online: gettext("Trực tuyến"),
    silent: gettext("Im lặng"),
    offline: gettext("Mất kết nối"),
    never: gettext("Chưa kết nối"),
    live: gettext("Trực tiếp"),
    polling: gettext("Dự phòng: cập nhật 5 giây một lần"),
    down: gettext("Mất kết nối máy chủ — đang thử lại"),
    forbidden: gettext("Tài khoản này không có quyền xem bảng theo dõi."),
    updated: gettext("Cập nhật lúc"),
    since: gettext("từ"),
    present: gettext("có mặt"),
    invited: gettext("được mời"),
    reported: gettext("báo cáo"),
    checked_in: gettext("điểm danh"),
    guests: gettext("khách ngoài danh sách"),
    multi_point: gettext("người có mặt ở 2 điểm cầu trở lên"),
    points_reported: gettext("điểm cầu đã báo cáo"),
    no_incidents: gettext("Không có sự cố nào đang mở."),
    all_fine: gettext("Mọi điểm cầu đều trực tuyến."),
    no_arrivals: gettext("Chưa có ai điểm danh."),
    per_minute: gettext("người/phút"),
    total: gettext("tổng"),
    paracel: gettext("Quần đảo Hoàng Sa"),
    spratly: gettext("Quần đảo Trường Sa"),
    queued: gettext("lượt quét chờ gửi"),
    incidents: gettext("sự cố"),
    video: {
      playing: gettext("Có hình"),
      buffering: gettext("Đang tải hình"),
      stalled: gettext("Hình bị đứng"),
      error: gettext("Lỗi phát hình"),
      paused: gettext("Tạm dừng hình"),
      idle: gettext("Chờ tín hiệu"),
      "": gettext("Không có trình phát"),
    },
    stream_not_set: gettext("Chưa thiết lập"),
    delay: gettext("trễ"),
  };
  const CONFIG = read("live-config");
  const POLL_EVERY = 5000;
  const QUIET_LIMIT = 40000;
  const FORBIDDEN = 4403;
  const COLORS = { online: "#1f7a3a", silent: "#d98b00", offline: "#b3191f", never: "#8b94a3" };
  const number = new Intl.NumberFormat("vi-VN");
  const percent = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  // In the conference's zone (the server says which), whatever the screen's clock is set to.
  const timeZone = CONFIG.time_zone || "Asia/Ho_Chi_Minh";
  const clock = new Intl.DateTimeFormat("vi-VN", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone });
  const hm = new Intl.DateTimeFormat("vi-VN", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone });

  let last = null; // the snapshot on screen
  let socket = null;
  let backoff = 1000;
  let reconnectTimer = null;
  let pollTimer = null;
  let quietTimer = null;
  let stopped = false;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "style") node.setAttribute("style", value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child == null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const fmt = (n) => number.format(n || 0);
  const pct = (a, b) => (b ? (100 * a) / b : 0);
  const time = (iso) => (iso ? hm.format(new Date(iso)) : "");

  // --- Status ----------------------------------------------------------------------------------

  function status(state) {
    const box = $("live-status");
    box.dataset.state = state;
    box.querySelector(".status-text").textContent =
      state === "live" ? L10N.live : state === "polling" ? L10N.polling : state === "forbidden" ? L10N.forbidden : L10N.down;
  }

  // --- Drawing ---------------------------------------------------------------------------------

  function setFigures(totals) {
    const values = Object.assign({}, totals, {
      percent: totals.invited ? percent.format(pct(totals.present, totals.invited)) + "%" : "",
    });
    document.querySelectorAll("[data-k]").forEach((node) => {
      const key = node.dataset.k;
      if (!(key in values)) return;
      node.textContent = typeof values[key] === "number" ? fmt(values[key]) : values[key];
    });
    const meter = $("present-meter");
    meter.style.width = Math.min(100, pct(totals.present, totals.invited)).toFixed(2) + "%";
    const full = totals.invited > 0 && totals.present >= totals.invited;
    meter.toggleAttribute("data-full", full);
    $("present-percent").toggleAttribute("data-full", full);
    $("kpi-present-sub").replaceChildren(
      el("span", {}, L10N.checked_in + " ", el("b", {}, fmt(totals.checked_in))),
      " · ",
      el("span", {}, L10N.reported + " ", el("b", {}, fmt(totals.reported)), " (" + fmt(totals.points_reported) + " " + L10N.points_reported + ")"),
    );
    $("kpi-incidents").classList.toggle("alarm", totals.incidents_open > 0);
    $("kpi-points").classList.toggle("warn", totals.online < totals.points);
    $("kpi-video").classList.toggle("alarm", totals.video_trouble > 0);
  }

  // The stream from the host point (streaming app): its state, red when it stopped while live.
  function drawStream(stream) {
    const node = $("stream-state");
    if (!node || !stream) return;
    node.dataset.state = stream.state;
    node.textContent = stream.configured ? stream.label : L10N.stream_not_set;
    const dropped = stream.state === "stopped" && last && last.conference.status === "live";
    $("kpi-video").classList.toggle("alarm", dropped || (last && last.totals.video_trouble > 0));
  }

  const VIDEO_TROUBLE = new Set(["buffering", "stalled", "error"]);
  function videoText(p) {
    if (p.state !== "online") return "";
    const text = L10N.video[p.video || ""];
    return p.video === "playing" && p.video_delay != null ? text + " (" + L10N.delay + " " + p.video_delay.toFixed(1) + " s)" : text;
  }

  function drawLevels(levels) {
    $("kpi-levels").replaceChildren(
      ...levels.map((l) => el("li", {}, el("span", {}, l.name), " ", el("b", {}, fmt(l.online) + "/" + fmt(l.total)))),
    );
    $("level-rows").replaceChildren(
      ...levels.map((l) =>
        el(
          "tr",
          {},
          el("td", {}, l.name),
          el("td", { class: "num" }, fmt(l.online) + "/" + fmt(l.total)),
          el("td", { class: "num" }, fmt(l.present)),
          el("td", { class: "num" }, fmt(l.reported)),
          el("td", { class: "num" }, fmt(l.invited)),
        ),
      ),
    );
  }

  function bars(target, rows) {
    $(target).replaceChildren(
      ...rows.map((row) => {
        const share = pct(row.present, row.invited);
        return el(
          "li",
          { title: row.name + ": " + fmt(row.present) + "/" + fmt(row.invited) },
          el("span", { class: "hbar-label" }, row.name),
          el(
            "span",
            { class: "hbar-track" },
            el("span", {
              class: "hbar-fill",
              style: "width:" + Math.min(100, share).toFixed(2) + "%",
              ...(row.invited && row.present >= row.invited ? { "data-full": "" } : {}),
            }),
          ),
          el("span", { class: "hbar-count" }, fmt(row.present) + "/" + fmt(row.invited)),
          el("span", { class: "hbar-pct" }, percent.format(share) + "%"),
        );
      }),
    );
  }

  function drawIncidents(incidents) {
    const list = $("incident-list");
    if (!incidents.length) {
      list.replaceChildren(el("li", { class: "empty" }, L10N.no_incidents));
      return;
    }
    list.replaceChildren(
      ...incidents.slice(0, 8).map((i) =>
        el(
          "li",
          { class: "incident" },
          el("a", { href: CONFIG.incidents + "#su-co-" + i.id }, el("b", {}, i.kind_label), " — ", i.point),
          el("span", { class: "muted" }, L10N.since + " " + time(i.since)),
        ),
      ),
    );
  }

  function drawAttention(points) {
    const order = { offline: 0, silent: 1, never: 2 };
    const worrying = points
      .filter((p) => p.state !== "online" || p.incidents || VIDEO_TROUBLE.has(p.video))
      .sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3) || (a.last_seen || "").localeCompare(b.last_seen || ""));
    const list = $("attention-list");
    if (!worrying.length) {
      list.replaceChildren(el("li", { class: "empty ok" }, L10N.all_fine));
      return;
    }
    const shown = worrying.slice(0, 8).map((p) =>
      el(
        "li",
        {},
        el("span", { class: "state-dot", style: "background:" + COLORS[p.state] }),
        el("span", { class: "grow" }, p.name),
        el(
          "span",
          { class: "muted nowrap" },
          p.state === "online" && VIDEO_TROUBLE.has(p.video)
            ? videoText(p) + (p.video_since ? " " + L10N.since + " " + time(p.video_since) : "")
            : L10N[p.state] + (p.last_seen && p.state !== "online" ? " " + L10N.since + " " + time(p.last_seen) : ""),
        ),
      ),
    );
    if (worrying.length > shown.length) shown.push(el("li", { class: "muted" }, "+ " + fmt(worrying.length - shown.length)));
    list.replaceChildren(...shown);
  }

  function drawPointRows(points) {
    $("point-rows").replaceChildren(
      ...points.map((p) =>
        el(
          "tr",
          {},
          el("td", {}, p.name),
          el(
            "td",
            { class: "nowrap" },
            el("span", { class: "state-dot", style: "background:" + COLORS[p.state] }),
            L10N[p.state],
            p.last_seen && p.state !== "online" ? " " + L10N.since + " " + time(p.last_seen) : "",
            p.queued ? " · " + fmt(p.queued) + " " + L10N.queued : "",
            p.state === "online" ? " · " + videoText(p) : "",
          ),
          el("td", { class: "num" }, fmt(p.present)),
          el("td", { class: "num" }, p.reported == null ? "—" : fmt(p.reported)),
          el("td", { class: "num" }, fmt(p.invited)),
        ),
      ),
    );
  }

  function drawTimeline(timeline) {
    const box = $("timeline");
    if (!timeline.length) {
      box.replaceChildren(el("p", { class: "empty muted" }, L10N.no_arrivals));
      $("timeline-rate").textContent = "";
      return;
    }
    // Minutes from the first arrival to the last, gaps as zero; the last 90 minutes at most.
    const counts = new Map(timeline.map((row) => [Math.floor(Date.parse(row.t) / 60000), row.n]));
    const minutes = [...counts.keys()];
    const end = Math.max(...minutes);
    const start = Math.min(Math.max(Math.min(...minutes), end - 89), end - 29);
    const series = [];
    for (let m = start; m <= end; m++) series.push(counts.get(m) || 0);
    const peak = Math.max(...series, 1);
    const W = 600, H = 150, pad = 22;
    const step = (W - pad) / series.length;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.setAttribute("class", "timeline-svg");
    svg.setAttribute("role", "img");
    const ns = (tag, attrs) => {
      const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      return node;
    };
    series.forEach((n, i) => {
      const h = ((H - 2 * pad) * n) / peak;
      svg.append(ns("rect", { x: pad + i * step + 0.5, y: H - pad - h, width: Math.max(step - 1, 1), height: h, class: "tl-bar" }));
    });
    svg.append(ns("line", { x1: pad, y1: H - pad, x2: W, y2: H - pad, class: "tl-axis" }));
    const label = (x, y, text, anchor) => {
      const t = ns("text", { x, y, "text-anchor": anchor || "start", class: "tl-text" });
      t.textContent = text;
      svg.append(t);
    };
    label(pad, H - 4, hm.format(new Date(start * 60000)));
    label(W, H - 4, hm.format(new Date(end * 60000)), "end");
    label(pad, 12, fmt(peak) + " " + L10N.per_minute);
    box.replaceChildren(svg);
    const total = timeline.reduce((sum, row) => sum + row.n, 0);
    $("timeline-rate").textContent = L10N.total + " " + fmt(total);
  }

  // --- The map -----------------------------------------------------------------------------------

  let map = null;
  let fitted = false;
  const markers = new Map();

  function setupMap() {
    if (!window.L || map) return;
    map = L.map("map", {
      zoomSnap: 0.25,
      attributionControl: false,
      scrollWheelZoom: false,
      zoomControl: true,
    });
    map.fitBounds([[8.3, 102.1], [23.4, 115.2]]);
    fetch($("live").dataset.outline)
      .then((response) => response.json())
      .then((outline) => {
        L.geoJSON(outline, { interactive: false, style: { color: "#9fb0c8", weight: 1, fillColor: "#ffffff", fillOpacity: 1 } })
          .addTo(map)
          .bringToBack();
      })
      .catch(() => {});
    for (const [name, lat, lon] of [
      [L10N.paracel, 16.5, 112.0],
      [L10N.spratly, 10.0, 114.0],
    ]) {
      L.circleMarker([lat, lon], { radius: 2, color: "#6b7a90", weight: 1, fillOpacity: 1, interactive: false }).addTo(map);
      const label = el("span", { class: "island-text" }, name);
      L.marker([lat, lon], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "island-label", html: label, iconSize: [0, 0] }),
      }).addTo(map);
    }
    window.addEventListener("resize", () => map.invalidateSize());
  }

  function tooltip(p) {
    return el(
      "div",
      {},
      el("b", {}, p.name),
      el("br"),
      L10N[p.state] + (p.last_seen && p.state !== "online" ? " " + L10N.since + " " + time(p.last_seen) : ""),
      p.state === "online" ? " · " + videoText(p) : "",
      el("br"),
      L10N.checked_in + ": " + fmt(p.present) + "/" + fmt(p.invited) + " · " + L10N.reported + ": " + (p.reported == null ? "—" : fmt(p.reported)),
      p.incidents ? el("div", { class: "tt-bad" }, fmt(p.incidents) + " " + L10N.incidents) : null,
    );
  }

  function drawMap(points) {
    setupMap();
    if (!map) return;
    const seen = new Set();
    const scale = (map.getSize().x < 520 ? 0.7 : 1) * (last && last.scope === "subtree" ? 1.6 : 1);
    for (const p of points) {
      seen.add(p.id);
      const style = {
        radius: scale * (p.host ? 10 : p.level === "district" ? 4.5 : 7),
        color: p.incidents ? "#b3191f" : "#ffffff",
        weight: p.incidents ? 3 : 1,
        fillColor: COLORS[p.state],
        fillOpacity: 0.95,
      };
      let marker = markers.get(p.id);
      if (!marker) {
        marker = L.circleMarker([p.lat, p.lon], style).addTo(map);
        markers.set(p.id, marker);
      } else {
        marker.setStyle(style);
        marker.setRadius(style.radius);
      }
      if (p.level !== "district") marker.bringToFront();
      marker.bindTooltip(tooltip(p), { direction: "top" });
    }
    if (!fitted && last && last.scope === "subtree" && points.length) {
      // A province's dashboard opens on its province rather than on the whole country.
      map.fitBounds(points.map((p) => [p.lat, p.lon]), { padding: [30, 30], maxZoom: 9 });
    }
    fitted = true;
    for (const [id, marker] of markers) {
      if (!seen.has(id)) {
        marker.remove();
        markers.delete(id);
      }
    }
  }

  function isOlder(message) {
    return last && message.version < last.version && message.generated_at < last.generated_at;
  }

  function receive(message) {
    if (!message) return;
    if (message.type === "snapshot") return draw(message);
    if (message.type !== "update" || !last || isOlder(message)) return;
    const points = new Map(last.points.map((p) => [p.id, p]));
    if (message.base > last.version || message.points_changed.some((change) => !points.has(change.id))) {
      resync();
      return;
    }
    for (const change of message.points_changed) Object.assign(points.get(change.id), change);
    const snapshot = Object.assign({}, message, { type: "snapshot", points: last.points });
    delete snapshot.points_changed;
    delete snapshot.base;
    draw(snapshot);
  }

  function draw(snapshot) {
    if (!snapshot || snapshot.type !== "snapshot" || isOlder(snapshot)) return;
    last = snapshot;
    setFigures(snapshot.totals);
    drawStream(snapshot.stream);
    drawLevels(snapshot.levels);
    bars("province-bars", snapshot.provinces);
    bars("category-bars", snapshot.categories);
    drawIncidents(snapshot.incidents);
    drawAttention(snapshot.points);
    drawTimeline(snapshot.timeline);
    drawMap(snapshot.points);
    if ($("point-table").open) drawPointRows(snapshot.points);
    $("live-updated").textContent = L10N.updated + " " + clock.format(new Date(snapshot.generated_at));
  }

  // --- Socket, polling, reconnecting ------------------------------------------------------------

  function poll() {
    return fetch(CONFIG.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          stopped = true;
          status("forbidden");
          throw new Error("refused");
        }
        if (!response.ok) throw new Error(response.statusText);
        return response.json();
      })
      .then((snapshot) => {
        if (!socket || socket.readyState !== WebSocket.OPEN) status("polling");
        draw(snapshot);
      })
      .catch(() => {
        if (!stopped) status("down");
      });
  }

  let resyncing = false;
  function resync() {
    if (resyncing) return;
    resyncing = true;
    poll().finally(() => {
      resyncing = false;
    });
  }

  function startPolling() {
    if (pollTimer || stopped) return;
    poll();
    pollTimer = setInterval(poll, POLL_EVERY);
  }

  function stopPolling() {
    clearInterval(pollTimer);
    pollTimer = null;
  }

  function quiet() {
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => {
      if (socket) socket.close(); // onclose polls and reconnects
    }, QUIET_LIMIT);
  }

  function connect() {
    if (stopped) return;
    clearTimeout(reconnectTimer);
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    let ws;
    try {
      ws = new WebSocket(scheme + location.host + CONFIG.socket);
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      backoff = 1000;
      quiet();
    };
    ws.onmessage = (event) => {
      quiet();
      stopPolling();
      status("live");
      try {
        receive(JSON.parse(event.data));
      } catch (error) {
        /* a malformed message: the next one replaces it */
      }
    };
    ws.onclose = (event) => {
      clearTimeout(quietTimer);
      if (socket === ws) socket = null;
      if (event.code === FORBIDDEN) {
        stopped = true;
        stopPolling();
        status("forbidden");
        return;
      }
      startPolling();
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (stopped) return;
    clearTimeout(reconnectTimer);
    const wait = backoff * (0.75 + Math.random() * 0.5);
    backoff = Math.min(backoff * 2, 30000);
    reconnectTimer = setTimeout(connect, wait);
  }

  function start() {
    draw(read("live-snapshot"));
    $("point-table").addEventListener("toggle", () => last && $("point-table").open && drawPointRows(last.points));
    connect();
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && !socket) {
        backoff = 1000;
        connect();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
