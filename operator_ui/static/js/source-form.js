// The "add a source" form, drawn from the kinds' option schemas the server serves
// (/api/v1/vocabulary, source_forms): no kind is written into the page or this script. Words come
// from i18n keys derived by rule — the kind `sources.kind_<kind>`, an option
// `source.<kind>.<option>` or the shared `source.option.<option>`, a choice `….<option>.<choice>`,
// a hint `….<option>.help` — and fall back to a readable name.

import { t } from "./i18n.js";

/** The first of `keys` the catalogue knows (so that a language switch re-translates it), or null. */
function known(keys) {
  return keys.find((key) => t(key) !== key) || null;
}

/** "channel_post_id" → "Channel post id". */
export function readable(name) {
  const text = String(name || "").replace(/_/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Put the words of the first known key into `el` (and mark it for re-translation), else `fallback`. */
function say(el, keys, fallback) {
  const key = known(keys);
  if (key) {
    el.dataset.i18n = key;
    el.textContent = t(key);
  } else {
    el.textContent = fallback;
  }
  return el;
}

const optionKeys = (kind, name, tail = "") => [`source.${kind}.${name}${tail}`, `source.option.${name}${tail}`];

function control(kind, o, id) {
  if (o.type === "choice") {
    const select = document.createElement("select");
    for (const choice of o.choices || []) {
      const opt = say(document.createElement("option"), optionKeys(kind, o.name, `.${choice}`), choice);
      opt.value = choice;
      select.append(opt);
    }
    if (o.default !== undefined) select.value = String(o.default);
    return finish(select, o, id);
  }
  const input = document.createElement("input");
  input.type = { url: "url", secret: "password", number: "number", bool: "checkbox" }[o.type] || "text";
  if (o.type === "secret") input.autocomplete = "off";
  if (o.type === "number") {
    input.step = o.whole ? "1" : "any";
    if (o.low !== undefined) input.min = String(o.low);
    if (o.high !== undefined) input.max = String(o.high);
  }
  if (o.type === "bool") input.checked = o.default === true;
  else if (o.default !== undefined && o.default !== null) input.value = String(o.default);
  if (o.example) input.placeholder = o.example;
  return finish(input, o, id);
}

function finish(el, o, id) {
  el.id = id;
  el.name = o.name;
  el.dataset.type = o.type;
  if (o.required && o.type !== "bool") el.required = true;
  return el;
}

/** The fields of one kind: a label, the control and an optional hint per option. */
export function kindFields(form) {
  const box = document.createElement("div");
  box.dataset.kind = form.kind;
  for (const o of form.options || []) {
    const id = `source-${form.kind}-${o.name}`;
    const input = control(form.kind, o, id);
    const words = say(document.createElement(o.type === "bool" ? "span" : "label"), optionKeys(form.kind, o.name), readable(o.name));
    if (o.type === "bool") {
      const row = document.createElement("label");
      row.className = "check";
      row.append(input, words);
      box.append(row);
    } else {
      words.htmlFor = id;
      box.append(words, input);
    }
    const helpKey = known(optionKeys(form.kind, o.name, ".help"));
    if (helpKey) {
      const hint = say(document.createElement("small"), [helpKey], "");
      hint.className = "muted";
      box.append(hint);
    }
  }
  return box;
}

/** A kind's name in the UI language (its readable name when the catalogues have none). */
export function kindName(kind) {
  const key = `sources.kind_${kind}`;
  return t(key) === key ? readable(kind) : t(key);
}

/** The kind's option for the select. */
export function kindOption(form) {
  const opt = say(document.createElement("option"), [`sources.kind_${form.kind}`], readable(form.kind));
  opt.value = form.kind;
  return opt;
}

/** The config the server takes from one kind's fields (empty fields left out; numbers as numbers). */
export function readConfig(box) {
  const config = {};
  for (const input of box.querySelectorAll("[name]")) {
    if (input.dataset.type === "bool") {
      config[input.name] = input.checked;
      continue;
    }
    const value = input.value.trim();
    if (value === "") continue;
    config[input.name] = input.dataset.type === "number" ? Number(value) : value;
  }
  return config;
}
