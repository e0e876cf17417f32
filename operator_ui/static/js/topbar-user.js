// The top bar's user (operator_ui/pages/_topbar.html): name and role in the UI language. On a
// laptop the bar may cut the name or hide the role, so its title keeps both whole.

import { t } from "./i18n.js";

/** Show ``user`` ({name, role}) in the top bar, or nobody. */
export function renderTopbarUser(user) {
  const name = document.getElementById("user-name");
  const role = document.getElementById("user-role");
  const roleName = user ? t(`role.${user.role}`) : "";
  if (name) {
    name.textContent = user ? user.name : "";
    name.title = user ? `${user.name} (${roleName})` : "";
  }
  if (role) role.textContent = roleName;
}
