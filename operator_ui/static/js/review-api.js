// HTTP for the review workspace and the dashboard: like api.js, but a refusal keeps its whole body
// (a 409 carries the other person's version of the problem, a refused final export the blocking list).

import { toLogin } from "./api.js";

export class ReviewError extends Error {
  /** A non-2xx answer: `status`, the server's `code`, per-field messages, and the parsed `body`. */
  constructor(status, body, fallback = "") {
    const error = (body && body.error) || {};
    super(error.message || fallback || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || (status === 0 ? "network" : "http_error");
    this.fields = error.fields || {};
    this.body = body || {};
  }
}

async function send(method, path, body, accept = "application/json") {
  const init = { method, credentials: "same-origin", headers: { Accept: accept } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch (err) {
    throw new ReviewError(0, { error: { code: "network", message: String((err && err.message) || err) } });
  }
}

async function refusal(res) {
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.status === 401) toLogin();
  return new ReviewError(res.status, body, text.slice(0, 200));
}

/** Call the JSON API; resolves to the parsed body, rejects with ReviewError (401 goes to login). */
export async function call(method, path, body) {
  const res = await send(method, path, body);
  if (!res.ok) throw await refusal(res);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** A review decision: POST /api/v1/meetings/{id}/review/{verb}. */
export function decide(meetingId, verb, payload = {}) {
  return call("POST", `/api/v1/meetings/${encodeURIComponent(meetingId)}/review/${verb}`, payload);
}

function filenameOf(res, fallback) {
  const header = res.headers.get("Content-Disposition") || "";
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  return m ? decodeURIComponent(m[1]) : fallback;
}

/** Fetch a file (an export); resolves to {blob, filename}, rejects with ReviewError. */
export async function fetchFile(path, fallbackName) {
  const res = await send("GET", path, undefined, "*/*");
  if (!res.ok) throw await refusal(res);
  return { blob: await res.blob(), filename: filenameOf(res, fallbackName) };
}

/** Hand a fetched file to the browser as a download. */
export function saveFile({ blob, filename }) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
