// Registers the service worker that answers a reload with a friendly "server unavailable" page
// (instead of the browser's error page) while the server is down. Browsers allow service workers
// only on HTTPS and on localhost; elsewhere the page simply does without.

/** Register /sw.js once per page load; never throws. */
export function registerOffline() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}
