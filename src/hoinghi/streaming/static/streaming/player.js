/* The conference's video player: live HLS (hls.js where the browser has Media Source Extensions,
 * its own HLS elsewhere) or a chapter to watch later (MP4), and what it reports.
 *
 * <div data-player data-kind="live|vod" data-src="…" data-report="heartbeat|invitation|"
 *      data-report-url="…" data-programme='[{"title","start","end"}]' data-resume="seconds">
 *   <video …></video> <p data-player-state></p> <p hidden>… <strong data-player-now></strong></p>
 * </div>
 * (the "now showing" line's parent is shown only while a programme item is on)
 *
 * Live: nginx sees no HLS viewer, so the player says how it plays: playing, buffering, stalled
 * (time stands still while it should play), paused, error or idle (nothing published yet), with
 * the bitrate and the delay behind the media server's ingest (the fragment names are nginx's clock;
 * the encoder-to-nginx leg, a few tens of ms on a good uplink, is not in it). On a bridge point's check-in page the page's
 * heartbeat carries that (window.hoinghiPlayer.report(), and an early beat on every change);
 * on an invitee's page the player posts it itself.
 *
 * Watch later: the seconds of the chapter played while the tab is visible are sent as
 * intervals; the server merges them, so watching a part twice counts it once.
 */
(function () {
  "use strict";

  const REPORT_EVERY_MS = 15000;
  const STALL_AFTER_MS = 4000; // playing, yet the picture has not moved for this long
  const RETRY_MS = 4000;
  const gettext = window.gettext || ((text) => text); // the JavaScript catalogue (core/catalogue.py)
  const TEXT = {
    idle: gettext("Chưa có tín hiệu: đang chờ điểm cầu chính phát…"),
    loading: gettext("Đang kết nối…"),
    playing: gettext("Đang phát"),
    buffering: gettext("Đang tải…"),
    stalled: gettext("Hình ảnh bị đứng: đang thử lại…"),
    paused: gettext("Đã tạm dừng"),
    error: gettext("Không phát được: đang thử lại…"),
    unsupported: gettext("Trình duyệt này không phát được video trực tiếp."),
  };

  function clock(seconds) {
    const whole = Math.round(seconds);
    const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), s = whole % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function programmeNow(programme, now) {
    let current = null;
    programme.forEach((item, index) => {
      if (!item.start) return;
      const start = Date.parse(item.start);
      const next = programme.slice(index + 1).find((later) => later.start);
      const end = item.end ? Date.parse(item.end) : next ? Date.parse(next.start) : Infinity;
      if (start <= now && now < end) current = item;
    });
    return current;
  }

  function setupLive(root, video) {
    const stateLine = root.querySelector("[data-player-state]");
    const nowLine = root.querySelector("[data-player-now]");
    const programme = JSON.parse(root.dataset.programme || "[]");
    const src = root.dataset.src;
    const info = { state: "idle", bitrate: null, delay: null };
    let hls = null;
    let lastTime = -1;
    let lastMoved = Date.now();
    let fragment = null; // {wall: seconds since epoch at the fragment's start, start: media time}

    function setState(state) {
      if (info.state === state) return;
      info.state = state;
      root.dataset.state = state;
      stateLine.textContent = TEXT[state] || state;
      changed();
    }

    function changed() {
      if (root.dataset.report === "heartbeat") {
        document.dispatchEvent(new CustomEvent("hoinghi:player-change"));
      } else if (root.dataset.report === "invitation") {
        send();
      }
    }

    function send() {
      if (!root.dataset.reportUrl) return;
      fetch(root.dataset.reportUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(report()),
        keepalive: true,
      }).catch(() => {});
    }

    function report() {
      updateDelay();
      return {
        state: info.state,
        bitrate: info.bitrate,
        delay: info.delay === null ? null : Math.max(0, Math.round(info.delay * 10) / 10),
      };
    }

    // nginx names each fragment after the wall clock (ms) it started at (hls_fragment_naming
    // system): the delay is now minus that, plus how far into the fragment the picture is.
    // For other sources hls.js's distance to the live edge is what we have.
    function updateDelay() {
      if (info.state !== "playing") return;
      if (fragment) {
        info.delay = Date.now() / 1000 - (fragment.wall + (video.currentTime - fragment.start));
      } else if (hls && Number.isFinite(hls.latency)) {
        info.delay = hls.latency;
      }
      root.dataset.delay = info.delay === null ? "" : info.delay.toFixed(2);
    }

    function startHls() {
      fragment = null; // a fragment of the previous session would skew the delay
      hls = new window.Hls({
        liveSyncDurationCount: 2, // 2 fragments of 1 s behind the edge: about 3-4 s from the encoder
        liveMaxLatencyDurationCount: 6,
        maxBufferLength: 10,
        backBufferLength: 30,
        manifestLoadingMaxRetry: 2,
        enableWorker: true,
      });
      hls.on(window.Hls.Events.FRAG_CHANGED, (_event, data) => {
        const name = (data.frag.relurl || "").split("/").pop();
        const ms = Number.parseInt(name, 10);
        fragment = ms > 1e12 ? { wall: ms / 1000, start: data.frag.start } : null;
      });
      hls.on(window.Hls.Events.LEVEL_SWITCHED, (_event, data) => {
        const level = hls.levels[data.level];
        info.bitrate = level && level.bitrate ? level.bitrate : null;
      });
      hls.on(window.Hls.Events.FRAG_LOADED, (_event, data) => {
        if (!info.bitrate && data.frag.duration && data.payload) {
          info.bitrate = Math.round((data.payload.byteLength * 8) / data.frag.duration);
        }
      });
      hls.on(window.Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        // Nothing published yet (404), the link dropped, or the URL expired: start again.
        const notPublished = data.response && data.response.code === 404;
        setState(notPublished ? "idle" : "error");
        hls.destroy();
        hls = null;
        setTimeout(startHls, RETRY_MS);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
    }

    if (window.Hls && window.Hls.isSupported()) {
      startHls();
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = src;
      video.addEventListener("error", () => {
        setState("error");
        setTimeout(() => { video.src = src; video.load(); }, RETRY_MS);
      });
    } else {
      stateLine.textContent = TEXT.unsupported;
      return null;
    }
    stateLine.textContent = TEXT.loading;

    video.addEventListener("playing", () => setState("playing"));
    video.addEventListener("waiting", () => setState("buffering"));
    video.addEventListener("pause", () => setState("paused"));
    video.addEventListener("loadedmetadata", () => {
      video.play().catch(() => {
        // Sound needs a tap first: start muted, the viewer turns the sound on.
        video.muted = true;
        video.play().catch(() => setState("paused"));
      });
    });

    setInterval(() => {
      if (!video.paused && info.state !== "idle") {
        if (video.currentTime !== lastTime) {
          lastTime = video.currentTime;
          lastMoved = Date.now();
          if (info.state === "stalled") setState("playing");
        } else if (Date.now() - lastMoved > STALL_AFTER_MS && info.state !== "error") {
          setState("stalled");
        }
      }
      updateDelay();
      const item = programmeNow(programme, Date.now());
      if (nowLine) {
        nowLine.textContent = item ? item.title : "";
        nowLine.parentElement.hidden = !item;
      }
    }, 1000);

    if (root.dataset.report === "invitation") setInterval(send, REPORT_EVERY_MS);
    return { report, state: () => info.state };
  }

  function setupVod(root, video) {
    const url = root.dataset.reportUrl;
    const stateLine = root.querySelector("[data-player-state]");
    let pending = []; // intervals not yet sent
    let open = null; // [start, end] growing while playing in a visible tab

    video.src = root.dataset.src;
    const resume = Number.parseFloat(root.dataset.resume || "0");
    video.addEventListener("loadedmetadata", () => {
      if (resume > 0 && resume < video.duration - 5) video.currentTime = resume;
    });

    function close() {
      if (open && open[1] > open[0]) pending.push(open);
      open = null;
    }

    video.addEventListener("timeupdate", () => {
      const t = video.currentTime;
      if (video.paused || document.hidden) return close();
      if (open && t >= open[1] && t - open[1] < 2) {
        open[1] = t;
      } else {
        close();
        open = [t, t];
      }
    });
    ["pause", "seeking", "ended"].forEach((name) => video.addEventListener(name, close));
    video.addEventListener("playing", () => { stateLine.textContent = TEXT.playing; });
    video.addEventListener("waiting", () => { stateLine.textContent = TEXT.buffering; });

    function flush(beacon) {
      const current = open;
      close();
      if (current && !video.paused && !document.hidden) open = [current[1], current[1]];
      if (!pending.length || !url) return;
      const body = JSON.stringify({ intervals: pending.map(([a, b]) => [Math.round(a * 100) / 100, Math.round(b * 100) / 100]) });
      const sent = pending;
      pending = [];
      if (beacon && navigator.sendBeacon) {
        navigator.sendBeacon(url, new Blob([body], { type: "application/json" }));
        return;
      }
      fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body, keepalive: true })
        .then((response) => response.ok ? response.json() : Promise.reject(response))
        .then((data) => {
          const shown = root.querySelector("[data-watched]");
          if (shown) shown.textContent = clock(data.seconds);
          root.dataset.watchedSeconds = data.seconds;
        })
        .catch(() => { pending = sent.concat(pending); });
    }

    setInterval(() => flush(false), REPORT_EVERY_MS);
    document.addEventListener("visibilitychange", () => { if (document.hidden) flush(true); });
    window.addEventListener("pagehide", () => flush(true));
    return { flush };
  }

  function setup(root) {
    const video = root.querySelector("video");
    const player = root.dataset.kind === "vod" ? setupVod(root, video) : setupLive(root, video);
    if (player && root.dataset.report === "heartbeat") window.hoinghiPlayer = player;
    root.hoinghiPlayer = player;
  }

  function start() {
    document.querySelectorAll("[data-player]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
