/* The notes pad on the invitee's page: one textarea per programme item, saved as they type
 * (PUT /api/invitations/<token>/notes/<item>). Each change is first kept in localStorage with
 * the device's time; it leaves the queue when the server has it. A queued note sent after a newer
 * one changes nothing on the server (it compares the times), so replaying the queue is safe. */

import { TEXT } from "./i18n.js";
import { keep, load, put } from "./store.js";

const SEND_AFTER_MS = 1200;
const RETRY_EVERY_MS = 5000;
const root = document.getElementById("notes");
const queueKey = root.dataset.store;
const statusLine = root.querySelector("[data-notes-status]");
let queue = load(queueKey, {}); // {item id: {text, written_at}}
let timer = null;
let sending = false;

function queueNote(area) {
  queue[area.dataset.item] = { text: area.value, written_at: new Date().toISOString() };
  keep(queueKey, queue);
  clearTimeout(timer);
  timer = setTimeout(flush, SEND_AFTER_MS);
}

async function flush() {
  if (sending) return;
  sending = true;
  try {
    for (const [item, note] of Object.entries(queue)) {
      const answer = await put(root.dataset.url + item, note);
      if (answer.ok || (answer.status >= 400 && answer.status < 500 && answer.status !== 409)) {
        // Stored (or refused for good: nothing to retry). Keep a newer text typed meanwhile.
        if (queue[item] && queue[item].written_at === note.written_at) delete queue[item];
      }
    }
    keep(queueKey, queue);
    statusLine.textContent = TEXT.notesSaved;
  } catch (error) {
    statusLine.textContent = TEXT.notesQueued;
  } finally {
    sending = false;
  }
}

function restore() {
  // Notes typed while offline, before a reload: shown again where the page has an older text.
  for (const [item, note] of Object.entries(queue)) {
    const area = root.querySelector(`textarea[data-item="${item}"]`);
    if (!area) continue;
    if (!area.dataset.writtenAt || area.dataset.writtenAt < note.written_at) area.value = note.text;
  }
}

root.addEventListener("input", (event) => {
  if (event.target.matches("textarea[data-item]")) queueNote(event.target);
});
window.addEventListener("online", flush);
setInterval(() => Object.keys(queue).length && flush(), RETRY_EVERY_MS);
restore();
if (Object.keys(queue).length) flush();
