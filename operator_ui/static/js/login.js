// The login form: POST /login as JSON, then on to ?next= (same site only) or the console.

import { bindLangSwitch, initialLang, setLang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

/** Where to go after login: a local path from ?next=, never another site. */
export function nextUrl(search = location.search) {
  const next = new URLSearchParams(search).get("next");
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") && !next.startsWith("/login")) {
    return next;
  }
  return "/console";
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
      body: JSON.stringify({ username, password }),
    });
    if (res.ok) {
      location.assign(nextUrl());
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

async function main() {
  await setLang(initialLang());
  bindLangSwitch($("lang-switch"));
  $("login-form").addEventListener("submit", submit);
}

main();
