/* Talking to the server: the queue goes out in batches of up to BATCH scans, with backoff while the
 * link is down; the server is idempotent on each scan's UUID, so a batch sent twice (a reply lost
 * on a weak link) changes nothing. The roster (with an ETag) and the heartbeat (with the queue's
 * length and the player's state) keep the device and the dashboard up to date. */

import { BACKOFF_MS, BATCH, POINT, root, URLS } from "./page.js";
import { TEXT } from "./i18n.js";
import { putRoster, putScans } from "./storage.js";
import { askPresent, queued, setPresent, setRoster, state } from "./state.js";
import { describe, problem, render, renderLink, setOnline, showAnswer, signal } from "./ui.js";

function csrfToken() {
  // The cookie first: a page served from the offline cache may carry an older token.
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
}

export async function api(url, options = {}) {
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

export async function sync() {
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

export async function refreshRoster() {
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

export async function heartbeat() {
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
