// JSON over HTTP to /api/v1 with the session cookie; errors come back as ApiError.

export class ApiError extends Error {
  /** An answer that was not 2xx: `status`, the server's `code`, and per-field messages. */
  constructor(status, error) {
    super((error && error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (error && error.code) || (status === 0 ? "network" : "http_error");
    this.fields = (error && error.fields) || {};
  }
}

/** Send the browser to the login page, coming back here afterwards. */
export function toLogin() {
  const next = location.pathname + location.search;
  location.assign(`/login?next=${encodeURIComponent(next)}`);
}

/** Call the API; resolves to the parsed JSON body, rejects with ApiError (401 goes to login). */
export async function api(method, path, body, { redirectOn401 = true } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, { code: "network", message: String(err && err.message ? err.message : err) });
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.status === 401 && redirectOn401) {
    toLogin();
    throw new ApiError(401, data && data.error);
  }
  if (!res.ok) throw new ApiError(res.status, data && data.error ? data.error : { message: text.slice(0, 200) });
  return data;
}
