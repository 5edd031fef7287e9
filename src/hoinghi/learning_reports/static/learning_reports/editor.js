/* The report editor: a textarea per section and the plan items, saved by itself every few
 * seconds (PUT /api/invitations/<token>/report) and kept in localStorage until the server has
 * it, so that a dropped link or a closed tab loses nothing. Every save names the revision it was
 * based on; when another device saved in between, the server keeps both texts and answers 409
 * with its own: the page shows it and the writer chooses (learning_reports/services/reports.py).
 * Submitting first sends what is unsaved, then posts the form with the saved revision. */

import { fmt, TEXT } from "./i18n.js";
import { forget, hhmm, keep, load, put } from "./store.js";

const SAVE_EVERY_MS = 3000;
const root = document.getElementById("report-editor");
const $ = (id) => document.getElementById(id);
const state = {
  revision: Number(root.dataset.revision),
  dirty: false,
  sending: false,
  paused: false, // a conflict waits for the writer's choice
  server: null, // the stored draft a conflict brought
};

function sections() {
  const result = {};
  for (const area of root.querySelectorAll("textarea[data-section]")) result[area.dataset.section] = area.value;
  return result;
}

function plans() {
  return Array.from(root.querySelectorAll("#plans fieldset.plan"), (fieldset) => {
    const plan = {};
    for (const input of fieldset.querySelectorAll("[data-plan]")) plan[input.dataset.plan] = input.value;
    return plan;
  });
}

function draft() {
  return { revision: state.revision, sections: sections(), plans: plans() };
}

function syllableCount(text) {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

function showCount() {
  const count = Object.values(sections()).reduce((sum, text) => sum + syllableCount(text), 0);
  const min = Number(root.dataset.min);
  const max = Number(root.dataset.max);
  const counter = $("syllables");
  let text = fmt(TEXT.syllables, count, min, max);
  if (count < min) text += " · " + fmt(TEXT.tooShort, min - count);
  if (count > max) text += " · " + fmt(TEXT.tooLong, count - max);
  counter.textContent = text;
  counter.dataset.tone = count < min || count > max ? "bad" : "ok";
}

function status(text) {
  $("save-status").textContent = text;
}

function setRevision(revision) {
  state.revision = revision;
  for (const input of document.querySelectorAll("input[name=revision]")) input.value = String(revision);
}

function changed() {
  state.dirty = true;
  keep(root.dataset.store, draft());
  showCount();
}

function fill(stored) {
  for (const area of root.querySelectorAll("textarea[data-section]")) {
    area.value = (stored.sections || {})[area.dataset.section] || "";
  }
  const list = $("plans");
  list.replaceChildren();
  const rows = stored.plans && stored.plans.length ? stored.plans : [{}];
  rows.forEach((plan) => list.append(planFieldset(plan)));
  showCount();
}

function planFieldset(plan) {
  const fieldset = document.createElement("fieldset");
  fieldset.className = "plan";
  const legend = document.createElement("legend");
  legend.className = "small";
  legend.textContent = `${TEXT.plan} ${document.querySelectorAll("#plans fieldset.plan").length + 1}`;
  fieldset.append(legend);
  const fields = [
    ["action", TEXT.action, "textarea"],
    ["deadline", TEXT.deadline, "day"], // typed dd/mm/yyyy, as every date of the site
    ["measure", TEXT.measure, "text"],
    ["serves", TEXT.serves, "choice"], // the parts of the resolutions, from the page's <template>
    ["target_reference", TEXT.target, "text"],
  ];
  const choices = document.getElementById("plan-serves");
  for (const [name, label, kind] of fields) {
    if (kind === "choice" && !choices) continue; // no resolution reaches the writer's unit
    const wrapper = document.createElement("label");
    wrapper.textContent = label;
    const input =
      kind === "choice"
        ? choices.content.querySelector("select").cloneNode(true)
        : document.createElement(kind === "textarea" ? "textarea" : "input");
    if (kind === "day") {
      input.type = "text";
      input.inputMode = "numeric";
      input.placeholder = "30/06/2019";
      input.autocomplete = "off";
    } else if (kind === "text") input.type = kind;
    else if (kind === "textarea") input.rows = 2;
    input.dataset.plan = name;
    input.value = plan[name] || "";
    wrapper.append(input);
    fieldset.append(wrapper);
  }
  return fieldset;
}

async function save() {
  if (!state.dirty || state.sending || state.paused) return true;
  state.sending = true;
  state.dirty = false;
  const sent = draft();
  status(TEXT.saving);
  try {
    const answer = await put(root.dataset.saveUrl, sent);
    if (answer.ok) {
      setRevision(answer.data.revision);
      if (!state.dirty) forget(root.dataset.store);
      else keep(root.dataset.store, draft());
      status(fmt(TEXT.saved, hhmm(new Date())));
      return true;
    }
    if (answer.status === 409 && answer.data.code === "draft_conflict") {
      showConflict(answer.data.params);
      return false;
    }
    state.dirty = true;
    status(fmt(TEXT.refused, answer.data.message || answer.status));
    return false;
  } catch (error) {
    state.dirty = true; // offline: kept in localStorage, sent on the next tick
    status(TEXT.savedLocally);
    return false;
  } finally {
    state.sending = false;
  }
}

function showConflict(params) {
  state.paused = true;
  state.server = params;
  // In the page's order of sections: a JSON object's keys come back in no set order.
  const stored = params.sections || {};
  const texts = Array.from(root.querySelectorAll("textarea[data-section]"), (area) => stored[area.dataset.section] || "")
    .filter(Boolean)
    .join("\n\n");
  $("conflict-text").textContent = texts;
  $("conflict").hidden = false;
  status(TEXT.conflict);
  $("conflict").scrollIntoView({ behavior: "smooth", block: "start" });
}

function resolve(takeServer) {
  const server = state.server;
  setRevision(server.revision);
  if (takeServer) {
    fill(server);
    state.dirty = false;
    forget(root.dataset.store);
  } else {
    state.dirty = true; // ours over theirs; theirs stays on the server as the stored revision's text
  }
  state.paused = false;
  state.server = null;
  $("conflict").hidden = true;
  save();
}

function restore() {
  const kept = load(root.dataset.store, null);
  if (!kept) return;
  const same =
    JSON.stringify(kept.sections) === JSON.stringify(sections()) &&
    JSON.stringify(kept.plans) === JSON.stringify(plans());
  if (same) {
    forget(root.dataset.store);
    return;
  }
  // A draft that did not reach the server (closed tab, no network). Based on an older revision,
  // it is sent with that revision: the server keeps both texts and the page shows the conflict.
  fill(kept);
  state.revision = Number(kept.revision);
  state.dirty = true;
  status(TEXT.restored);
}

function start() {
  root.addEventListener("input", changed);
  $("plan-add").addEventListener("click", () => {
    $("plans").append(planFieldset({}));
    changed();
  });
  $("conflict-take").addEventListener("click", () => resolve(true));
  $("conflict-keep").addEventListener("click", () => resolve(false));
  $("submit-form").addEventListener("submit", async (event) => {
    if (!state.dirty && !state.sending) return;
    event.preventDefault();
    while (state.sending) await new Promise((done) => setTimeout(done, 100));
    if (await save()) event.target.submit();
  });
  window.addEventListener("online", save);
  window.addEventListener("pagehide", () => state.dirty && keep(root.dataset.store, draft()));
  setInterval(save, SAVE_EVERY_MS);
  restore();
  showCount();
}

start();
