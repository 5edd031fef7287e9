/* Recording a scan: written to IndexedDB first (with its client-made UUID and the device's time),
 * answered at once from the cached roster, then sent. */

import { $, POINT } from "./page.js";
import { fmt, hhmm, TEXT } from "./i18n.js";
import { putScans } from "./storage.js";
import { presentAt, state } from "./state.js";
import { render, showAnswer, signal } from "./ui.js";
import { sync } from "./sync.js";

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

export async function record(items) {
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

export async function recordQr(scanned) {
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
