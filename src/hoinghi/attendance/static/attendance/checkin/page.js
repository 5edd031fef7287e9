/* The check-in page: its element, the point it serves, the URLs of its API, and its rhythm. */

export const root = document.getElementById("checkin");
export const POINT = Number(root.dataset.point);
export const URLS = {
  scans: root.dataset.scansUrl,
  roster: root.dataset.rosterUrl,
  people: root.dataset.peopleUrl,
  heartbeat: root.dataset.heartbeatUrl,
  headcount: root.dataset.headcountUrl,
  incident: root.dataset.incidentUrl,
  sw: root.dataset.swUrl,
};
export const BATCH = 200;
export const HEARTBEAT_MS = 15000;
export const ROSTER_REFRESH_MS = 60000;
export const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
export const $ = (id) => document.getElementById(id);
