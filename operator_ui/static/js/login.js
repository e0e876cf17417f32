// The login form: POST /login as JSON, then on to ?next= (same site only) or the console.

import { bindLangSwitch, initialLang, setLang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

/** Where to go after login: a local path from ?next=, never another site. */
export function nextUrl(search = location.search, origin = location.origin) {
  const next = new URLSearchParams(search).get("next");
  // Browsers drop tabs and newlines from URLs ("/\t/evil.example" is "//evil.example"): refuse any
  // control character or backslash, then check where the URL really resolves to.
  if (!next || !next.startsWith("/") || /[\u0000-\u0020\u007f-\u009f\\]/.test(next)) return "/console";
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return "/console";
  }
  if (url.origin !== origin || url.pathname.startsWith("/login") || url.pathname.startsWith("/logout")) return "/console";
  return url.pathname + url.search + url.hash;
}

async function submit(ev) {
  ev.preventDefault();
  const error = $("login-error");
  const button = $("login-submit");
  const username = $("login-username").value.trim();
  const password = $("login-password").value;
  error.textContent = "";
  if (!username || !password) {
    error.textContent = t("login.error_empty");
    (username ? $("login-password") : $("login-username")).focus();
    return;
  }
  button.disabled = true;
  button.textContent = t("login.submitting");
  try {
    const res = await fetch("/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ username, password, next: nextUrl() }),
    });
    if (res.ok) {
      let next = nextUrl();
      try {
        const data = await res.json();
        if (data && typeof data.next === "string") next = nextUrl(`?next=${encodeURIComponent(data.next)}`);
      } catch {
        /* keep our own answer */
      }
      location.assign(next);
      return;
    }
    let message = "";
    try {
      const data = await res.json();
      message = data && data.error && data.error.message ? data.error.message : "";
    } catch {
      message = "";
    }
    // The server's own words when they are in the reader's script, else ours.
    const readable = /[\u0400-\u04FF]/.test(message);
    if (res.status === 401) error.textContent = readable ? message : t("login.error_wrong");
    else if (res.status === 429) error.textContent = t("login.error_locked");
    else error.textContent = readable ? message : message ? `${t("login.error_generic")} (${message})` : t("login.error_generic");
    $("login-password").select();
    $("login-password").focus();
  } catch {
    error.textContent = t("login.error_network");
  } finally {
    button.disabled = false;
    button.textContent = t("login.submit");
  }
}

/** The error a form posted without this script came back with (`?error=bad_credentials`). */
function formError(search = location.search) {
  const code = new URLSearchParams(search).get("error");
  if (!code) return "";
  if (code === "bad_credentials") return t("login.error_wrong");
  if (code === "too_many_attempts") return t("login.error_locked");
  return code === "bad_request" ? t("login.error_empty") : t("login.error_generic");
}

async function main() {
  // Take the form over first: a submit while the catalogues load must not post the form itself.
  $("login-form").addEventListener("submit", submit);
  await setLang(initialLang());
  bindLangSwitch($("lang-switch"));
  $("login-error").textContent = formError();
}

main();
