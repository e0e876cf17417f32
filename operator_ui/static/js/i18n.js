// UI strings from the catalogues served at /i18n/<lang>.json; Russian by default, the choice kept.

export const LANGS = ["ru", "kk"];
const STORAGE_KEY = "tyndau.lang";

const state = { lang: "ru", strings: {}, fallback: {}, listeners: [] };

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The language to start with: ?lang=, then the remembered choice, then Russian. */
export function initialLang() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (LANGS.includes(fromUrl)) return fromUrl;
  const remembered = stored();
  return LANGS.includes(remembered) ? remembered : "ru";
}

async function fetchCatalogue(lang) {
  const res = await fetch(`/i18n/${lang}.json`, { credentials: "same-origin", cache: "no-cache" });
  if (!res.ok) throw new Error(`catalogue ${lang}: HTTP ${res.status}`);
  return res.json();
}

/** The current UI language. */
export function lang() {
  return state.lang;
}

/** A meeting's title in the UI language (the Kazakh title when there is one). */
export function meetingTitle(m) {
  return (state.lang === "kk" && m.title_kk) || m.title;
}

/** Load a catalogue (Russian as fallback for missing keys), apply it, and notify listeners. */
export async function setLang(next, { remember = true } = {}) {
  const target = LANGS.includes(next) ? next : "ru";
  if (!Object.keys(state.fallback).length) {
    try {
      state.fallback = await fetchCatalogue("ru");
    } catch (err) {
      console.error(err);
    }
  }
  let strings = state.fallback;
  if (target !== "ru") {
    try {
      strings = await fetchCatalogue(target);
    } catch (err) {
      console.error(err);
    }
  }
  state.lang = target;
  state.strings = strings;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, target);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }
  document.documentElement.lang = target;
  applyI18n(document);
  for (const fn of state.listeners) fn(target);
  return target;
}

/** Call `fn(lang)` after every language change (to re-render dynamic text). */
export function onLangChange(fn) {
  state.listeners.push(fn);
}

/** The string for `key` with {name} placeholders filled; the key itself if missing. */
export function t(key, params = {}) {
  let text = state.strings[key] ?? state.fallback[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

const MARK_KINDS = ["iin", "phone", "email", "card", "account", "name", "flat"];

/**
 * A redacted text with its marks in the UI language: the server sends one text for every viewer,
 * marked in Russian ("[имя]"), and a Kazakh screen reads "[аты-жөні]" (`pd.mark_*`).
 */
export function localMarks(text) {
  if (state.lang === "ru" || !text || !text.includes("[")) return text;
  let out = text;
  for (const kind of MARK_KINDS) {
    const source = state.fallback[`pd.mark_${kind}`];
    const mark = state.strings[`pd.mark_${kind}`];
    if (source && mark && source !== mark) out = out.split(source).join(mark);
  }
  return out;
}

/** A counted phrase: picks `<key>.one|few|many|other` by the language's plural rules, fills {n}. */
export function tn(key, n, params = {}) {
  const category = new Intl.PluralRules(state.lang === "kk" ? "kk" : "ru").select(n);
  const full = `${key}.${category}`;
  const chosen = (state.strings[full] ?? state.fallback[full]) !== undefined ? full : `${key}.other`;
  return t(chosen, { n, ...params });
}

/**
 * Fill elements marked `data-i18n="key"` (text) and `data-i18n-attr="attr:key;attr:key"`
 * (attributes such as placeholder, aria-label, title).
 */
export function applyI18n(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":").map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

/** Wire the language buttons (`[data-lang]` inside `container`) and mark the current one. */
export function bindLangSwitch(container) {
  if (!container) return;
  const mark = () => {
    for (const btn of container.querySelectorAll("[data-lang]")) {
      btn.setAttribute("aria-pressed", String(btn.dataset.lang === state.lang));
    }
  };
  container.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-lang]");
    if (btn && btn.dataset.lang !== state.lang) setLang(btn.dataset.lang);
  });
  onLangChange(mark);
  mark();
}
