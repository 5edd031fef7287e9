/* The check-in page's service worker: keeps the page and its static files so that the page
 * reloads without a network. Scans never pass through here: the page keeps them in IndexedDB.
 * Rendered by views.checkin.service_worker, which fills in SHELL: the static URLs (hashed in production)
 * and the JavaScript catalogues (with their version in the query). */
"use strict";

const SHELL = {{ shell|safe }};
const STATIC_CACHE = "hoinghi-checkin-static-{{ version }}";
const PAGES_CACHE = "hoinghi-checkin-pages";
const PAGE = /\/truc-tiep\/diem-cau\/\d+\/diem-danh\/$/;
const NETWORK_WAIT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("hoinghi-checkin-static-") && name !== STATIC_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page: the network first (a fresh roster of names and a fresh CSRF token), the kept copy when
// the network fails or takes longer than a weak link should.
async function page(request) {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), NETWORK_WAIT_MS)),
    ]);
    if (response.ok && !response.redirected) await cache.put(request.url, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request.url, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

// Static files: the kept copy first, refreshed in the background.
async function asset(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => kept);
  return kept || fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && PAGE.test(url.pathname)) {
    event.respondWith(page(request));
  } else if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(asset(request));
  }
});
