/* Following a live view (core.live) from a page: its WebSocket while it is open, polling while it
 * is not.
 *
 *   hoinghi.live.follow({
 *     socket: "/ws/chu-toa/12/",          the consumer's path
 *     receive: (message) => …,            every message of the socket, parsed
 *     poll: () => promise,                run every `every` ms while the socket is down; a promise
 *     every: 5000,                        rejected with hoinghi.live.REFUSED stops everything
 *     status: (state) => …,               "connecting", "live", "polling", "down" or "forbidden"
 *   });
 *
 * The server sends a snapshot when the socket opens, so a page that reconnects simply draws the
 * fresh one. A socket closed with 4403 (refused) stops everything; any other close starts polling
 * and reconnects with backoff (1 s … 30 s). A socket quiet for longer than 40 s (the server
 * refreshes every 15 s) is taken for dead. A page coming back to the foreground reconnects at once.
 * `hoinghi.live.json(url)` is a poll that fetches a snapshot as the socket would have sent it.
 */
(function () {
  "use strict";

  const FORBIDDEN = 4403;
  const QUIET_LIMIT = 40000;
  const REFUSED = new Error("refused");

  function follow(options) {
    const status = options.status || (() => {});
    let socket = null;
    let backoff = 1000;
    let reconnectTimer = null;
    let pollTimer = null;
    let quietTimer = null;
    let stopped = false;

    const isOpen = () => socket !== null && socket.readyState === WebSocket.OPEN;

    function stop() {
      stopped = true;
      stopPolling();
      clearTimeout(reconnectTimer);
      status("forbidden");
    }

    function poll() {
      return Promise.resolve()
        .then(options.poll)
        .then(() => {
          if (!isOpen() && !stopped) status("polling");
        })
        .catch((error) => {
          if (error === REFUSED) stop();
          else if (!stopped) status("down");
        });
    }

    function startPolling() {
      if (pollTimer || stopped) return;
      poll();
      pollTimer = setInterval(poll, options.every);
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

    function scheduleReconnect() {
      if (stopped) return;
      clearTimeout(reconnectTimer);
      const wait = backoff * (0.75 + Math.random() * 0.5);
      backoff = Math.min(backoff * 2, 30000);
      reconnectTimer = setTimeout(connect, wait);
    }

    function connect() {
      if (stopped) return;
      clearTimeout(reconnectTimer);
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      let ws;
      try {
        ws = new WebSocket(scheme + location.host + options.socket);
      } catch (error) {
        startPolling();
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
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return; // a malformed message: the next one replaces it
        }
        status("live");
        options.receive(message);
      };
      ws.onclose = (event) => {
        clearTimeout(quietTimer);
        if (socket === ws) socket = null;
        if (event.code === FORBIDDEN) {
          stop();
          return;
        }
        startPolling();
        scheduleReconnect();
      };
    }

    status("connecting");
    connect();
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && !socket && !stopped) {
        backoff = 1000;
        connect();
      }
    });
  }

  function json(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((response) => {
      if (response.status === 401 || response.status === 403 || response.status === 404) throw REFUSED;
      if (!response.ok) throw new Error(response.statusText);
      return response.json();
    });
  }

  window.hoinghi = Object.assign(window.hoinghi || {}, { live: { follow, json, REFUSED } });
})();
