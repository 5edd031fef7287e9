/* IndexedDB: the queue of this device's scans and the cached roster of the point, which survive a
 * reload without a network. A scan leaves the queue only when the server has stored it. */

import { POINT } from "./page.js";

let dbPromise = null;

function db() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open("hoinghi-checkin", 1);
      request.onupgradeneeded = () => {
        const database = request.result;
        const scans = database.createObjectStore("scans", { keyPath: "id" });
        scans.createIndex("point", "point");
        database.createObjectStore("rosters", { keyPath: "point" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function store(name, mode, work) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(name, mode);
    const result = work(transaction.objectStore(name));
    transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export const putScans = (rows) => store("scans", "readwrite", (s) => rows.forEach((row) => s.put(row)));

export const pointScans = () => store("scans", "readonly", (s) => s.index("point").getAll(POINT));

export const getRoster = () => store("rosters", "readonly", (s) => s.get(POINT));

export const putRoster = (row) => store("rosters", "readwrite", (s) => s.put(row));
