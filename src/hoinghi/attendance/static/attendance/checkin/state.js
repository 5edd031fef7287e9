/* What the device knows: the roster as last received, this point's scans (queued or sent), and
 * presence as the server counted it plus what the queue changes. Searching the roster happens here
 * too, on text folded as the server folds it. */

// Text folding, as hoinghi.orgs.vietnamese.fold does it on the server.
export function fold(text) {
  return text
    .toLowerCase()
    .replace(/đ/g, "d")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}

export const state = {
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

export function setRoster(data) {
  state.roster = data;
  state.entries = data.entries;
  state.byHash = new Map(data.entries.map((e) => [e.token_sha256, e]));
  state.byInvitation = new Map(data.entries.map((e) => [e.invitation_id, e]));
  state.byPerson = new Map(data.entries.map((e) => [e.person_id, e]));
  state.etag = data.etag || "";
}

export const queued = () => state.scans.filter((scan) => scan.state === "queued");

// Answers cross on a slow link: a heartbeat sent before a batch may come back after it. The
// count of the request that left last wins.
export const askPresent = () => ++state.presentAsked;

export function setPresent(count, asked) {
  if (asked < state.presentShown) return;
  state.presentShown = asked;
  state.serverPresent = count;
}

// Presence as the device knows it: the server's, then the queued scans in time order.
export function presentAt(entry) {
  let at = entry.present_at;
  for (const scan of queued()) {
    if (scan.person_id !== entry.person_id) continue;
    if (scan.method === "undo") at = null;
    else if (!at) at = scan.scanned_at;
  }
  return at;
}

export function presentCount() {
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

export function matches(query) {
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
