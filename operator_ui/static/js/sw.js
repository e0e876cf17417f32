// Tyndau's service worker: only page loads (navigations) that fail because the server cannot be
// reached get the offline page; everything else goes to the network untouched (nothing is cached
// but the offline page itself and what it needs).

const CACHE = "tyndau-offline-v1";
const OFFLINE = "/offline";
const ASSETS = [OFFLINE, "/static/css/base.css", "/static/js/offline.js", "/static/img/favicon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && ASSETS.includes(url.pathname)) {
    // The offline page's own files: the network first, the cached copy when the server is down.
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});
