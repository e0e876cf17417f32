// May the signed-in user do this? The server's one permission table answers (GET /api/v1/meta
// sends `permissions`: capability → roles); the pages never list roles themselves.

/** Whether the user of `meta` (the /api/v1/meta answer) holds `capability`. */
export function can(meta, capability) {
  const roles = meta && meta.permissions ? meta.permissions[capability] : null;
  const role = meta && meta.user ? meta.user.role : null;
  return Boolean(role && Array.isArray(roles) && roles.includes(role));
}
