/* The operator's check-in page: QR scanning, name search, block marking, undo, and an offline
 * queue. Every scan is first written to IndexedDB (with its client-made UUID and the device's
 * time), answered at once from the cached roster, then sent in batches of up to 200; a scan
 * leaves the queue only when the server has stored it. The server is idempotent on the UUID,
 * so sending a batch twice (a reply lost on a weak link) changes nothing.
 *
 * The modules: page (the element, URLs, timings), i18n (the words), storage (IndexedDB), state
 * (roster, queue, presence), ui (drawing), sync (the API), record (a scan), scanner (the camera);
 * this one wires the page's controls and starts it. The service worker keeps every module
 * (views/checkin.py, SHELL_STATIC) so that the page reloads offline. */

import { $, HEARTBEAT_MS, root, ROSTER_REFRESH_MS, URLS } from "./page.js";
import { fmt, TEXT } from "./i18n.js";
import { getRoster, pointScans } from "./storage.js";
import { matches, presentAt, setRoster, state } from "./state.js";
import { badge, problem, render, renderResults, setOnline } from "./ui.js";
import { api, heartbeat, refreshRoster, sync } from "./sync.js";
import { record } from "./record.js";
import { camera, cameraStart, cameraStop } from "./scanner.js";

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
