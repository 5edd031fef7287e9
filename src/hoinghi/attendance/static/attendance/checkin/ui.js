/* Drawing the page: the answer panel (with a tone and a sound), the link state, the counters, the
 * search results and the recent scans. Nothing here talks to the network. */

import { $, root } from "./page.js";
import { fmt, hhmm, TEXT } from "./i18n.js";
import { fold, matches, presentAt, presentCount, queued, state } from "./state.js";

let audio = null;

export function signal(tone) {
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

export function showAnswer(tone, main, sub, scanId) {
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
export function describe(scan) {
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

export function setOnline(online) {
  state.online = online;
  renderLink();
}

export function problem(message) {
  const box = $("ci-problem");
  box.hidden = !message;
  box.textContent = message || "";
}

export function renderLink() {
  const link = $("ci-link");
  const waiting = queued().length;
  const mode = !state.online ? "offline" : state.syncing && waiting ? "syncing" : "online";
  link.dataset.state = mode;
  link.textContent = TEXT[mode];
}

export function render() {
  $("ci-present").textContent = presentCount().toLocaleString("vi-VN");
  // Until a roster is in hand (from the device's copy or the server) the count the page was
  // drawn with stands: an empty list is not "nobody invited".
  const invited = $("ci-invited");
  const count = state.roster ? state.entries.length : Number(invited.dataset.server || 0);
  invited.textContent = count.toLocaleString("vi-VN");
  const waiting = queued().length;
  $("ci-queued").textContent = waiting.toLocaleString("vi-VN");
  $("ci-queue-box").dataset.waiting = waiting ? "1" : "0";
  root.dataset.queued = String(waiting);
  renderLink();
  renderResults();
  renderRecent();
}

export function badge(text, tone) {
  const span = document.createElement("span");
  span.className = `badge ${tone}`;
  span.textContent = text;
  return span;
}

export function renderResults() {
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

export function renderRecent() {
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
