// The language analysis' status in the console: "Модель загружается: 40 %" while the NLP model
// loads (real build steps, pushed over socket.io), a note when it is off or failed, nothing when ready.
// A freshly opened console asks GET /api/v1/nlp/status first, then listens while loading.

import { onLangChange, t } from "./i18n.js";

const POLL_MS = 5000;
let current = null;

function render() {
  const el = document.getElementById("nlp-status");
  if (!el || !current) return;
  const s = current;
  let text = "";
  if (s.state === "loading") {
    text = t("nlp.loading", { percent: s.percent ?? 0 });
    if (s.pending) text += " · " + t("nlp.pending", { n: s.pending });
  } else if (s.state === "failed") text = t("nlp.failed");
  else if (s.state === "off") text = t(s.reason === "not_installed" ? "nlp.not_installed" : "nlp.off");
  el.textContent = text;
  el.dataset.state = s.state;
  el.title = s.state === "off" && s.install ? s.install : s.error || "";
  el.hidden = !text;
}

async function fetchStatus() {
  try {
    const res = await fetch("/api/v1/nlp/status", { credentials: "same-origin", cache: "no-cache" });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

function follow() {
  // Pushes come on the feed namespace to every console; a poll covers a missed push or a reconnect.
  const socket = window.io ? window.io("/feed", { transports: ["websocket", "polling"] }) : null;
  const timer = setInterval(async () => update(await fetchStatus()), POLL_MS);
  const stop = () => {
    clearInterval(timer);
    if (socket) socket.disconnect();
  };
  const update = (s) => {
    if (!s) return;
    if (current && current.state === "loading" && s.state === "loading" && s.percent < current.percent) return;
    current = s;
    render();
    if (s.state !== "loading") stop();
  };
  if (socket) socket.on("nlp_status", update);
  return update;
}

async function start() {
  onLangChange(render);
  const first = await fetchStatus();
  if (!first) return;
  current = first;
  render();
  if (first.state === "loading") follow()(first);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
