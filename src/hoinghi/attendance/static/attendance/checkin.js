/* The operator's check-in page: QR scanning, name search, block marking, undo, and an offline
 * queue. Every scan is first written to IndexedDB (with its client-made UUID and the device's
 * time), answered at once from the cached roster, then sent in batches of up to 200; a scan
 * leaves the queue only when the server has stored it. The server is idempotent on the UUID,
 * so sending a batch twice (a reply lost on a weak link) changes nothing. */
(function () {
  "use strict";

  // Every string the page shows, in one place, from the JavaScript catalogue (core/catalogue.py);
  // Vietnamese is the source language.
  const gettext = window.gettext || ((text) => text);
  const TEXT = {
    online: gettext("Trực tuyến"),
    offline: gettext("Mất kết nối"),
    syncing: gettext("Đang gửi…"),
    present: gettext("Có mặt"),
    alreadyAt: gettext("Đã điểm danh lúc %s"),
    alreadyBefore: gettext("Đã điểm danh trước đó"),
    invitedAt: gettext("Được mời ở điểm cầu %s"),
    invitedElsewhere: gettext("Được mời ở điểm cầu khác"),
    recordedHere: gettext("Đã ghi nhận có mặt tại điểm cầu này"),
    guest: gettext("Khách không có giấy mời"),
    guestNote: gettext("Đã ghi nhận, tính riêng"),
    undone: gettext("Đã hủy điểm danh"),
    invalidCode: gettext("Mã không hợp lệ"),
    withdrawn: gettext("Giấy mời đã bị rút"),
    replayed: gettext("Lượt quét bị trùng mã, không ghi nhận"),
    nothingToUndo: gettext("Người này chưa được điểm danh"),
    notOpen: gettext("Hội nghị chưa mở điểm danh"),
    rejected: gettext("Không hợp lệ"),
    checking: gettext("Đang kiểm tra…"),
    notInRoster: gettext("Không có trong danh sách điểm cầu"),
    willCheck: gettext("Sẽ kiểm tra khi có mạng"),
    queuedNote: gettext("Đã lưu trên máy, sẽ gửi khi có mạng"),
    waiting: gettext("chờ gửi"),
    sent: gettext("đã gửi"),
    failed: gettext("lỗi"),
    undo: gettext("Hủy"),
    noScans: gettext("Chưa có lượt quét nào."),
    noResults: gettext("Không tìm thấy trong danh sách điểm cầu."),
    typeMore: gettext("Nhập ít nhất 2 chữ cái."),
    presentBadge: gettext("Có mặt"),
    otherPointBadge: gettext("Điểm cầu khác"),
    guestBadge: gettext("Khách"),
    cameraStart: gettext("Quét mã QR"),
    cameraStop: gettext("Tắt camera"),
    cameraDenied: gettext("Không mở được camera: hãy cho phép trình duyệt dùng camera."),
    needLogin: gettext("Phiên đăng nhập đã hết hạn: hãy đăng nhập lại (các lượt quét vẫn được giữ trên máy)."),
    needOnline: gettext("Cần có mạng để gửi."),
    sentOk: gettext("Đã gửi."),
    sendFailed: gettext("Gửi không được: %s"),
    blockMark: gettext("Đánh dấu có mặt"),
    serverError: gettext("Máy chủ đang bận, sẽ thử lại."),
  };

  const root = document.getElementById("checkin");
  if (!root) return;
  const POINT = Number(root.dataset.point);
  const URLS = {
    scans: root.dataset.scansUrl,
    roster: root.dataset.rosterUrl,
    people: root.dataset.peopleUrl,
    heartbeat: root.dataset.heartbeatUrl,
    headcount: root.dataset.headcountUrl,
    incident: root.dataset.incidentUrl,
    sw: root.dataset.swUrl,
  };
  const BATCH = 200;
  const HEARTBEAT_MS = 15000;
  const ROSTER_REFRESH_MS = 60000;
  const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
  const $ = (id) => document.getElementById(id);
  const fmt = (template, value) => template.replace("%s", value);

  // --- Text folding, as hoinghi.orgs.vietnamese.fold does it on the server -------------------------
  function fold(text) {
    return text
      .toLowerCase()
      .replace(/đ/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  }

  function hhmm(iso) {
    const date = new Date(iso);
    // The conference's time, whatever zone the device is set to (DESIGN.md: Asia/Ho_Chi_Minh).
    return date.toLocaleTimeString("vi-VN", {
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
      timeZone: "Asia/Ho_Chi_Minh",
    });
  }

  // --- IndexedDB: the queue of scans and the cached roster ---------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open("hoinghi-checkin", 1);
        request.onupgradeneeded = () => {
          const database = request.result;
          const scans = database.createObjectStore("scans", { keyPath: "id" });
          scans.createIndex("point", "point");
          database.createObjectStore("rosters", { keyPath: "point" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  async function store(name, mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(name, mode);
      const result = work(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  const putScans = (rows) => store("scans", "readwrite", (s) => rows.forEach((row) => s.put(row)));
  const pointScans = () => store("scans", "readonly", (s) => s.index("point").getAll(POINT));
  const getRoster = () => store("rosters", "readonly", (s) => s.get(POINT));
  const putRoster = (row) => store("rosters", "readwrite", (s) => s.put(row));

  // --- State ---------------------------------------------------------------------------------------
  const state = {
    roster: null, // the roster as last received, kept in IndexedDB
    entries: [], // its people, in Vietnamese name order
    byHash: new Map(),
    byInvitation: new Map(),
    byPerson: new Map(),
    etag: "",
    serverPresent: 0,
    presentAsked: 0, // requests that answer with the present count, numbered as they leave
    presentShown: 0, // the number of the request whose count is shown
    scans: [], // this point's scans on this device, oldest first
    online: navigator.onLine,
    syncing: false,
    retryTimer: null,
    backoff: 0,
    selected: new Set(), // invitation ids chosen in block mode
    blockMode: false,
    shownScan: null, // the id of the scan the answer panel speaks about
  };

  function setRoster(data) {
    state.roster = data;
    state.entries = data.entries;
    state.byHash = new Map(data.entries.map((e) => [e.token_sha256, e]));
    state.byInvitation = new Map(data.entries.map((e) => [e.invitation_id, e]));
    state.byPerson = new Map(data.entries.map((e) => [e.person_id, e]));
    state.etag = data.etag || "";
  }

  const queued = () => state.scans.filter((scan) => scan.state === "queued");

  // Answers cross on a slow link: a heartbeat sent before a batch may come back after it. The
  // count of the request that left last wins.
  const askPresent = () => ++state.presentAsked;
  function setPresent(count, asked) {
    if (asked < state.presentShown) return;
    state.presentShown = asked;
    state.serverPresent = count;
  }

  // Presence as the device knows it: the server's, then the queued scans in time order.
  function presentAt(entry) {
    let at = entry.present_at;
    for (const scan of queued()) {
      if (scan.person_id !== entry.person_id) continue;
      if (scan.method === "undo") at = null;
      else if (!at) at = scan.scanned_at;
    }
    return at;
  }

  function presentCount() {
    let count = state.serverPresent;
    const seen = new Set();
    for (const scan of queued()) {
      const key = scan.person_id || scan.token_sha256;
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const entry = scan.person_id ? state.byPerson.get(scan.person_id) : state.byHash.get(scan.token_sha256);
      if (!entry) continue; // unknown until the server answers
      const before = entry.present_at;
      const after = presentAt(entry);
      if (!before && after) count += 1;
      if (before && !after) count -= 1;
    }
    return Math.max(count, 0);
  }

  // --- Feedback ------------------------------------------------------------------------------------
  let audio = null;
  function signal(tone) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const notes = { ok: [880], warn: [660, 520], bad: [220], idle: [] }[tone] || [];
      notes.forEach((frequency, index) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.value = 0.15;
        oscillator.connect(gain).connect(audio.destination);
        const start = audio.currentTime + index * 0.14;
        oscillator.start(start);
        oscillator.stop(start + (tone === "bad" ? 0.35 : 0.12));
      });
    } catch (error) {
      /* no sound on this device */
    }
    if (navigator.vibrate) navigator.vibrate({ ok: 60, warn: [60, 60, 60], bad: 300 }[tone] || 0);
  }

  function showAnswer(tone, main, sub, scanId) {
    const panel = $("ci-answer");
    panel.dataset.tone = tone;
    $("ci-answer-main").textContent = main;
    $("ci-answer-sub").textContent = sub || "";
    state.shownScan = scanId || null;
    // Restart the flash animation for two answers in a row with the same tone.
    panel.classList.remove("flash");
    void panel.offsetWidth;
    panel.classList.add("flash");
  }

  // What the server said about a scan, as the panel and the recent list show it.
  function describe(scan) {
    const name = scan.person_name || scan.label || "";
    const result = scan.result;
    if (!result) {
      if (scan.state === "failed") return { tone: "bad", main: TEXT.rejected, sub: scan.error || "" };
      return scan.local || { tone: "idle", main: TEXT.checking, sub: name };
    }
    switch (result.outcome) {
      case "present":
        return { tone: "ok", main: TEXT.present, sub: result.person_name };
      case "already_present": {
        const entry = state.byPerson.get(result.person_id);
        const at = entry && entry.present_at;
        return { tone: "warn", main: at ? fmt(TEXT.alreadyAt, hhmm(at)) : TEXT.alreadyBefore, sub: result.person_name };
      }
      case "other_point":
        return {
          tone: "warn",
          main: result.invited_point ? fmt(TEXT.invitedAt, result.invited_point) : TEXT.invitedElsewhere,
          sub: `${result.person_name} · ${TEXT.recordedHere}`,
        };
      case "guest":
        return { tone: "warn", main: TEXT.guest, sub: `${result.person_name} · ${TEXT.guestNote}` };
      case "undone":
        return { tone: "idle", main: TEXT.undone, sub: result.person_name };
      default: {
        const reasons = {
          unknown_token: TEXT.invalidCode,
          revoked_token: TEXT.invalidCode,
          withdrawn: TEXT.withdrawn,
          replayed: TEXT.replayed,
          nothing_to_undo: TEXT.nothingToUndo,
          not_open: TEXT.notOpen,
        };
        const tone = result.reason === "nothing_to_undo" ? "warn" : "bad";
        return { tone, main: reasons[result.reason] || TEXT.rejected, sub: result.person_name || name };
      }
    }
  }

  // --- Recording a scan ----------------------------------------------------------------------------
  async function sha256(text) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function tokenOf(scanned) {
    let text = scanned.trim();
    if (text.includes("/moi/")) text = text.split("/moi/")[1].split("/")[0].split("?")[0];
    return text.slice(0, 64);
  }

  // The answer from the cached roster, before the server is asked.
  function localAnswer(method, entry, label) {
    if (method === "undo") return { tone: "idle", main: TEXT.undone, sub: label };
    if (!entry) {
      return state.online
        ? { tone: "idle", main: TEXT.checking, sub: "" }
        : { tone: "warn", main: TEXT.notInRoster, sub: TEXT.willCheck };
    }
    const at = presentAt(entry);
    if (at) return { tone: "warn", main: fmt(TEXT.alreadyAt, hhmm(at)), sub: entry.full_name };
    return { tone: "ok", main: TEXT.present, sub: entry.full_name };
  }

  async function record(items) {
    // items: [{method, token?, invitation_id?, person_id?, entry?, label}]
    const now = new Date().toISOString();
    const rows = [];
    for (const item of items) {
      const entry = item.entry || null;
      const local = localAnswer(item.method, entry, item.label);
      const row = {
        id: crypto.randomUUID(),
        point: POINT,
        method: item.method,
        token: item.token || "",
        token_sha256: item.token_sha256 || "",
        invitation_id: item.invitation_id ?? (entry ? entry.invitation_id : null),
        person_id: item.person_id ?? (entry ? entry.person_id : null),
        scanned_at: now,
        label: item.label || (entry ? entry.full_name : ""),
        undoes: item.undoes || null,
        state: "queued",
        local,
        result: null,
      };
      rows.push(row);
      state.scans.push(row); // pushed one by one, so the next item's local answer sees this one
    }
    await putScans(rows);
    const last = rows[rows.length - 1];
    if (rows.length === 1) {
      showAnswer(last.local.tone, last.local.main, last.local.sub, last.id);
    } else {
      showAnswer("ok", `${TEXT.present}: ${rows.length}`, "", null);
    }
    if (!state.online) $("ci-answer-sub").textContent += ` · ${TEXT.queuedNote}`;
    signal(rows.length === 1 ? last.local.tone : "ok");
    render();
    sync();
  }

  async function recordQr(scanned) {
    const token = tokenOf(scanned);
    const hash = await sha256(token);
    const entry = state.byHash.get(hash);
    const item = { method: "qr", token, token_sha256: hash, entry, label: entry ? entry.full_name : "" };
    // The server matches by token: a roster match only tells the answer early.
    if (entry) {
      item.invitation_id = null;
      item.person_id = entry.person_id;
    } else {
      item.invitation_id = null;
      item.person_id = null;
    }
    await record([item]);
  }

  // --- Sending -------------------------------------------------------------------------------------
  function csrfToken() {
    // The cookie first: a page served from the offline cache may carry an older token.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  async function api(url, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(url, {
      method: options.method || "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
    });
  }

  function payload(scan) {
    const body = { id: scan.id, method: scan.method, scanned_at: scan.scanned_at };
    if (scan.method === "qr") body.token = scan.token;
    else if (scan.invitation_id) body.invitation_id = scan.invitation_id;
    else body.person_id = scan.person_id;
    return body;
  }

  function setOnline(online) {
    state.online = online;
    renderLink();
  }

  function problem(message) {
    const box = $("ci-problem");
    box.hidden = !message;
    box.textContent = message || "";
  }

  function scheduleRetry(delay) {
    clearTimeout(state.retryTimer);
    const wait = delay || BACKOFF_MS[Math.min(state.backoff, BACKOFF_MS.length - 1)];
    state.backoff += 1;
    state.retryTimer = setTimeout(sync, wait);
  }

  async function applyResults(batch, data, asked) {
    const byId = new Map(data.results.map((r) => [r.id, r]));
    const done = [];
    for (const scan of batch) {
      const result = byId.get(scan.id);
      if (!result) continue;
      scan.result = result;
      scan.state = "sent";
      scan.person_name = result.person_name;
      if (result.person_id && !scan.person_id) scan.person_id = result.person_id;
      const entry = state.byPerson.get(result.person_id);
      if (entry) {
        if (["present", "other_point", "guest"].includes(result.outcome)) entry.present_at = scan.scanned_at;
        if (result.outcome === "undone") entry.present_at = null;
      }
      done.push(scan);
      if (state.shownScan === scan.id) {
        const answer = describe(scan);
        if (answer.tone !== scan.local.tone || answer.main !== scan.local.main) {
          showAnswer(answer.tone, answer.main, answer.sub, scan.id);
          signal(answer.tone);
        }
      }
    }
    setPresent(data.present, asked);
    await putScans(done);
    if (state.roster) {
      // Keep what the server said in the cached roster too, for a reload without a network.
      state.roster.present = state.serverPresent;
      await putRoster(state.roster);
    }
  }

  async function markFailed(scans, response) {
    let message = `HTTP ${response.status}`;
    try {
      message = (await response.json()).message || message;
    } catch (error) {
      /* not JSON */
    }
    for (const scan of scans) {
      scan.state = "failed";
      scan.error = message;
    }
    await putScans(scans);
    if (scans.length === 1 && state.shownScan === scans[0].id) {
      showAnswer("bad", TEXT.rejected, message, scans[0].id);
      signal("bad");
    }
  }

  // One POST; returns "ok", "offline", "login", "refused" or "retry".
  async function send(batch) {
    let response;
    const asked = askPresent();
    try {
      response = await api(URLS.scans, { method: "POST", body: { scans: batch.map(payload) } });
    } catch (error) {
      return "offline";
    }
    if (response.ok) {
      await applyResults(batch, await response.json(), asked);
      return "ok";
    }
    if (response.status === 401 || response.status === 403) return "login";
    if (response.status === 400 || response.status === 422) {
      if (batch.length === 1) await markFailed(batch, response);
      return "refused";
    }
    return "retry";
  }

  async function sync() {
    if (state.syncing) return;
    state.syncing = true;
    clearTimeout(state.retryTimer);
    renderLink();
    let sent = false;
    try {
      for (;;) {
        const batch = queued().slice(0, BATCH);
        if (!batch.length) break;
        let outcome = await send(batch);
        if (outcome === "refused" && batch.length > 1) {
          // One bad scan must not hold the others back: send them one by one, keep the refused.
          for (const scan of batch) {
            outcome = await send([scan]);
            if (outcome !== "ok" && outcome !== "refused") break;
          }
          if (outcome === "refused") outcome = "ok";
        }
        if (outcome === "ok" || outcome === "refused") {
          sent = true;
          state.backoff = 0;
          setOnline(true);
          problem("");
          continue;
        }
        if (outcome === "offline") setOnline(false);
        if (outcome === "login") problem(TEXT.needLogin);
        if (outcome === "retry") problem(TEXT.serverError);
        scheduleRetry(outcome === "login" ? 30000 : 0);
        break;
      }
    } finally {
      state.syncing = false;
      render();
    }
    // A roster asked for now is read after the batch committed: it overrides any answer that
    // left earlier and came back late with an older count.
    if (sent) refreshRoster();
  }

  // --- Roster and heartbeat ------------------------------------------------------------------------
  async function refreshRoster() {
    let response;
    const asked = askPresent();
    try {
      response = await api(URLS.roster, { headers: state.etag ? { "If-None-Match": state.etag } : {} });
    } catch (error) {
      setOnline(false);
      return;
    }
    setOnline(true);
    if (response.status === 304 || !response.ok) {
      if (response.status === 401 || response.status === 403) problem(TEXT.needLogin);
      return;
    }
    const data = await response.json();
    data.etag = response.headers.get("ETag") || "";
    data.point = POINT;
    setRoster(data);
    setPresent(data.present, asked);
    await putRoster(data);
    render();
  }

  async function heartbeat() {
    const asked = askPresent();
    try {
      const body = { queued: queued().length };
      // The video player on this page (streaming/player.js) says how the picture plays.
      if (window.hoinghiPlayer) body.player = window.hoinghiPlayer.report();
      const response = await api(URLS.heartbeat, { method: "POST", body });
      setOnline(true);
      if (response.ok) {
        setPresent((await response.json()).present, asked);
        render();
      }
    } catch (error) {
      setOnline(false);
    }
  }

  // --- Rendering -----------------------------------------------------------------------------------
  function renderLink() {
    const link = $("ci-link");
    const waiting = queued().length;
    const mode = !state.online ? "offline" : state.syncing && waiting ? "syncing" : "online";
    link.dataset.state = mode;
    link.textContent = TEXT[mode];
  }

  function render() {
    $("ci-present").textContent = presentCount().toLocaleString("vi-VN");
    $("ci-invited").textContent = state.entries.length.toLocaleString("vi-VN");
    const waiting = queued().length;
    $("ci-queued").textContent = waiting.toLocaleString("vi-VN");
    $("ci-queue-box").dataset.waiting = waiting ? "1" : "0";
    root.dataset.queued = String(waiting);
    renderLink();
    renderResults();
    renderRecent();
  }

  function badge(text, tone) {
    const span = document.createElement("span");
    span.className = `badge ${tone}`;
    span.textContent = text;
    return span;
  }

  function matches(query) {
    const terms = fold(query).split(" ").filter(Boolean);
    if (!terms.length) return [];
    const found = [];
    for (const entry of state.entries) {
      const haystack = `${entry.folded_name} ${entry.unit_folded || (entry.unit_folded = fold(entry.unit))}`;
      if (terms.every((term) => haystack.includes(term))) {
        found.push(entry);
        if (found.length >= 50) break;
      }
    }
    return found;
  }

  function renderResults() {
    const list = $("ci-results");
    const query = $("ci-search").value;
    list.replaceChildren();
    $("ci-search-people").hidden = fold(query).length < 2;
    if (!query.trim()) return;
    const found = matches(query);
    if (!found.length) {
      const item = document.createElement("li");
      item.className = "muted ci-empty";
      item.textContent = fold(query).length < 2 ? TEXT.typeMore : TEXT.noResults;
      list.append(item);
      return;
    }
    for (const entry of found) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "ci-person";
      button.dataset.invitation = entry.invitation_id;
      const at = presentAt(entry);
      if (state.blockMode) {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.tabIndex = -1;
        box.checked = state.selected.has(entry.invitation_id);
        box.disabled = Boolean(at);
        button.append(box);
        button.setAttribute("aria-pressed", box.checked ? "true" : "false");
      }
      const text = document.createElement("span");
      text.className = "ci-person-text";
      const name = document.createElement("strong");
      name.textContent = entry.full_name;
      const unit = document.createElement("span");
      unit.className = "muted small";
      unit.textContent = entry.unit;
      text.append(name, unit);
      button.append(text);
      if (at) button.append(badge(`${TEXT.presentBadge} ${hhmm(at)}`, "ok"));
      item.append(button);
      list.append(item);
    }
  }

  function renderRecent() {
    const list = $("ci-recent");
    list.replaceChildren();
    const recent = state.scans.slice(-8).reverse();
    if (!recent.length) {
      const item = document.createElement("li");
      item.className = "muted";
      item.textContent = TEXT.noScans;
      list.append(item);
      return;
    }
    for (const scan of recent) {
      const answer = describe(scan);
      const item = document.createElement("li");
      item.dataset.tone = answer.tone;
      const time = document.createElement("span");
      time.className = "ci-time";
      time.textContent = hhmm(scan.scanned_at);
      const text = document.createElement("span");
      text.className = "ci-recent-text";
      const who = document.createElement("strong");
      who.textContent = scan.person_name || scan.label || answer.sub || "—";
      const what = document.createElement("span");
      what.className = "small";
      what.textContent = answer.main;
      text.append(who, what);
      item.append(time, text);
      const stateLabel = { queued: TEXT.waiting, sent: TEXT.sent, failed: TEXT.failed }[scan.state];
      item.append(badge(stateLabel, scan.state === "queued" ? "warn" : scan.state === "failed" ? "bad" : ""));
      const undoable =
        scan.method !== "undo" &&
        scan.person_id &&
        (scan.result
          ? ["present", "other_point", "guest"].includes(scan.result.outcome)
          : scan.local && scan.local.tone === "ok") &&
        scan.state !== "failed" &&
        !state.scans.some((later) => later.method === "undo" && later.undoes === scan.id);
      if (undoable) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "secondary ci-undo";
        button.dataset.scan = scan.id;
        button.textContent = TEXT.undo;
        item.append(button);
      }
      list.append(item);
    }
  }

  // --- Camera --------------------------------------------------------------------------------------
  const camera = { stream: null, timer: null, detector: null, last: "", lastAt: 0, canvas: null };

  async function cameraStart() {
    try {
      camera.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (error) {
      problem(TEXT.cameraDenied);
      return;
    }
    problem("");
    const video = $("ci-video");
    video.srcObject = camera.stream;
    await video.play();
    $("ci-camera").hidden = false;
    $("ci-camera-toggle").textContent = TEXT.cameraStop;
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) camera.detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch (error) {
        camera.detector = null;
      }
    }
    camera.timer = setInterval(cameraTick, 180);
  }

  function cameraStop() {
    clearInterval(camera.timer);
    if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
    camera.stream = null;
    $("ci-camera").hidden = true;
    $("ci-camera-toggle").textContent = TEXT.cameraStart;
  }

  let decoding = false;
  async function cameraTick() {
    const video = $("ci-video");
    if (decoding || !camera.stream || video.readyState < 2) return;
    decoding = true;
    try {
      let text = "";
      if (camera.detector) {
        const codes = await camera.detector.detect(video);
        text = codes.length ? codes[0].rawValue : "";
      } else if (window.jsQR) {
        const scale = Math.min(1, 640 / video.videoWidth);
        const width = Math.round(video.videoWidth * scale);
        const height = Math.round(video.videoHeight * scale);
        camera.canvas = camera.canvas || document.createElement("canvas");
        camera.canvas.width = width;
        camera.canvas.height = height;
        const context = camera.canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, width, height);
        const image = context.getImageData(0, 0, width, height);
        const code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
        text = code ? code.data : "";
      }
      // A badge held in front of the camera is one scan, not one per frame: the same code counts
      // again only after it has been out of sight for a moment.
      const now = Date.now();
      if (text) {
        const isNew = text !== camera.last || now - camera.lastAt > 2500;
        camera.last = text;
        camera.lastAt = now;
        if (isNew) await recordQr(text);
      }
    } finally {
      decoding = false;
    }
  }

  // --- Forms ---------------------------------------------------------------------------------------
  async function submitForm(form, url, body) {
    const result = form.querySelector(".ci-form-result");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const response = await api(url, { method: "POST", body });
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        result.textContent = TEXT.sentOk;
        result.dataset.tone = "ok";
        form.reset();
      } else {
        result.textContent = fmt(TEXT.sendFailed, data.message || response.status);
        result.dataset.tone = "bad";
      }
    } catch (error) {
      result.textContent = TEXT.needOnline;
      result.dataset.tone = "bad";
    } finally {
      button.disabled = false;
    }
  }

  // --- Wiring --------------------------------------------------------------------------------------
  function wire() {
    const search = $("ci-search");
    search.addEventListener("input", renderResults);
    search.addEventListener("keydown", (event) => {
      // Enter on a single match checks that person in: the fastest path with a keyboard.
      if (event.key !== "Enter" || state.blockMode) return;
      const found = matches(search.value);
      if (found.length === 1) {
        event.preventDefault();
        choose(found[0]);
      }
    });

    $("ci-results").addEventListener("click", (event) => {
      const button = event.target.closest("button.ci-person");
      if (!button) return;
      if (button.dataset.person) {
        recordPerson(JSON.parse(button.dataset.person));
        return;
      }
      const entry = state.byInvitation.get(Number(button.dataset.invitation));
      if (entry) choose(entry);
    });

    $("ci-recent").addEventListener("click", (event) => {
      const button = event.target.closest("button.ci-undo");
      if (!button) return;
      const scan = state.scans.find((s) => s.id === button.dataset.scan);
      if (!scan) return;
      const entry = state.byPerson.get(scan.person_id);
      record([
        {
          method: "undo",
          person_id: scan.person_id,
          invitation_id: entry ? entry.invitation_id : null,
          entry,
          label: scan.person_name || scan.label,
          undoes: scan.id,
        },
      ]);
    });

    $("ci-camera-toggle").addEventListener("click", () => (camera.stream ? cameraStop() : cameraStart()));

    $("ci-block-toggle").addEventListener("click", () => {
      state.blockMode = !state.blockMode;
      state.selected.clear();
      $("ci-block-toggle").setAttribute("aria-pressed", String(state.blockMode));
      $("ci-block-bar").hidden = !state.blockMode;
      updateBlockCount();
      renderResults();
      search.focus();
    });
    $("ci-block-clear").addEventListener("click", () => {
      state.selected.clear();
      updateBlockCount();
      renderResults();
    });
    $("ci-block-mark").addEventListener("click", () => {
      const chosen = [...state.selected].map((id) => state.byInvitation.get(id)).filter(Boolean);
      if (!chosen.length) return;
      state.selected.clear();
      updateBlockCount();
      record(chosen.map((entry) => ({ method: "block", invitation_id: entry.invitation_id, entry })));
    });

    $("ci-search-people").addEventListener("click", searchPeople);

    $("ci-headcount").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      const reasons = {};
      let absent = 0;
      form.querySelectorAll("input[data-reason]").forEach((input) => {
        const count = Number(input.value || 0);
        if (count > 0) {
          reasons[input.dataset.reason] = count;
          absent += count;
        }
      });
      submitForm(form, URLS.headcount, {
        present: Number(form.present.value || 0),
        absent,
        absent_reasons: reasons,
        note: form.note.value,
      });
    });
    $("ci-incident").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.target;
      submitForm(form, URLS.incident, { kind: form.kind.value, note: form.note.value });
    });

    window.addEventListener("online", () => {
      setOnline(true);
      state.backoff = 0;
      sync();
      refreshRoster();
    });
    window.addEventListener("offline", () => setOnline(false));
  }

  function choose(entry) {
    if (state.blockMode) {
      if (presentAt(entry)) return;
      if (state.selected.has(entry.invitation_id)) state.selected.delete(entry.invitation_id);
      else state.selected.add(entry.invitation_id);
      updateBlockCount();
      renderResults();
      return;
    }
    record([{ method: "search", invitation_id: entry.invitation_id, entry }]);
  }

  function recordPerson(found) {
    const entry = state.byPerson.get(found.person_id);
    record([
      {
        method: "search",
        invitation_id: found.invitation_id,
        person_id: found.person_id,
        entry,
        label: found.full_name,
      },
    ]);
  }

  function updateBlockCount() {
    $("ci-block-count").textContent = state.selected.size;
    $("ci-block-mark").disabled = !state.selected.size;
  }

  // People outside the roster (invited elsewhere, or guests): asked of the server, online only.
  async function searchPeople() {
    const query = $("ci-search").value;
    let found;
    try {
      const response = await api(`${URLS.people}?q=${encodeURIComponent(query)}`);
      if (!response.ok) return;
      found = await response.json();
    } catch (error) {
      problem(TEXT.needOnline);
      return;
    }
    const list = $("ci-results");
    list.replaceChildren();
    if (!found.length) {
      const item = document.createElement("li");
      item.className = "muted ci-empty";
      item.textContent = TEXT.noResults;
      list.append(item);
    }
    for (const person of found) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "ci-person";
      button.dataset.person = JSON.stringify(person);
      const text = document.createElement("span");
      text.className = "ci-person-text";
      const name = document.createElement("strong");
      name.textContent = person.full_name;
      const unit = document.createElement("span");
      unit.className = "muted small";
      unit.textContent = person.invited_point ? `${person.unit} · ${fmt(TEXT.invitedAt, person.invited_point)}` : person.unit;
      text.append(name, unit);
      button.append(text);
      if (person.is_present) button.append(badge(TEXT.presentBadge, "ok"));
      else if (person.invited_point) button.append(badge(TEXT.otherPointBadge, "warn"));
      else if (!person.invitation_id) button.append(badge(TEXT.guestBadge, "warn"));
      item.append(button);
      list.append(item);
    }
  }

  // --- Offline shell -------------------------------------------------------------------------------
  async function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(URLS.sw);
      await navigator.serviceWorker.ready;
      // The first visit happened before the worker existed: keep this page for offline reloads.
      const pages = await caches.open("hoinghi-checkin-pages");
      if (navigator.onLine) await pages.add(new Request(location.href, { credentials: "same-origin" }));
      root.dataset.offlineReady = "1";
    } catch (error) {
      /* the page still works; it only cannot reload offline */
    }
  }

  async function start() {
    wire();
    updateBlockCount();
    const cached = await getRoster();
    if (cached) {
      setRoster(cached);
      state.serverPresent = cached.present;
    }
    state.scans = (await pointScans()).sort((a, b) => a.scanned_at.localeCompare(b.scanned_at));
    render();
    root.dataset.ready = "1";
    await refreshRoster();
    sync();
    heartbeat();
    setInterval(heartbeat, HEARTBEAT_MS);
    // A change of the picture (playing, stalled...) reaches the dashboard without waiting.
    let playerBeat = null;
    document.addEventListener("hoinghi:player-change", () => {
      clearTimeout(playerBeat);
      playerBeat = setTimeout(heartbeat, 500);
    });
    setInterval(refreshRoster, ROSTER_REFRESH_MS);
    registerServiceWorker();
  }

  start();
})();
