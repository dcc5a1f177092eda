// Small local pages in the shape of Keycloak's login theme: no external fonts, scripts or styles.

// Light and dark like the app (the reader's scheme); contrast at least 4.5:1 in both (WCAG 2.2 SC 1.4.3).
const STYLE = `:root{color-scheme:light dark;--bg:#f3f4f6;--card:#fff;--text:#111827;--muted:#4b5563;--accent:#1d4ed8;--line:#d1d5db;--error-bg:#fdecea;--error:#9f1239}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--card:#111827;--text:#f3f4f6;--muted:#cbd5e1;--accent:#60a5fa;--line:#374151;--error-bg:#3b0d17;--error:#fecdd3}}
body{font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--text);margin:0}
main{max-width:26rem;margin:clamp(1rem,8vh,4rem) auto;background:var(--card);padding:clamp(1.25rem,5vw,2rem);border-top:4px solid var(--accent);border-radius:.5rem;box-sizing:border-box}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;margin-top:1rem}
input{width:100%;padding:.6rem;box-sizing:border-box;font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:.375rem}
input:focus-visible,button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
input[type=submit]{margin-top:1.5rem;padding:.7rem 1.2rem;background:#1d4ed8;color:#fff;border:0;font-weight:600;cursor:pointer}
.alert-error{background:var(--error-bg);color:var(--error);padding:.6rem;margin-top:1rem;border-radius:.375rem}
.test-users{margin-top:1.5rem;padding-top:1rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
.test-users h2{font-size:1rem;margin:0 0 .5rem;color:var(--text)}
.test-users table{border-collapse:collapse;width:100%}.test-users th,.test-users td{text-align:left;padding:.2rem .5rem .2rem 0}
.test-users code{color:var(--text)}`;

/** No request for /favicon.ico (the provider has none): an inline icon, a key on the provider's accent colour. */
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4ed8"/><circle cx="12" cy="16" r="5" fill="none" stroke="#fff" stroke-width="3"/><path d="M17 16h10M23 16v5" stroke="#fff" stroke-width="3"/></svg>')}`;

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="${ICON}"><style>${STYLE}</style></head>
<body><main id="kc-content">${body}</main></body></html>`;
}

/** The realm's users and passwords under the form, so a newcomer knows what to type (this provider is dev-only). */
function testUsersTable(users) {
  if (!users?.length) return "";
  const rows = users.map((u) => `<tr><td><code>${escapeHtml(u.username)}</code></td><td><code>${escapeHtml(u.password)}</code></td></tr>`).join("");
  return `<section class="test-users" aria-labelledby="test-users-title"><h2 id="test-users-title">Test users of this realm</h2>
<table><thead><tr><th scope="col">Username</th><th scope="col">Password</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/**
 * Keycloak-like sign-in form; `error` shows Keycloak's message above the fields, `testUsers` lists the realm's
 * users and passwords below it.
 */
export function loginPage({ action, realmName, username = "", error, testUsers = [] }) {
  return page(
    `Sign in to ${realmName}`,
    `<h1 id="kc-page-title">Sign in to your account</h1>
${error ? `<div class="alert-error" role="alert"><span id="input-error">${escapeHtml(error)}</span></div>` : ""}
<form id="kc-form-login" method="post" action="${escapeHtml(action)}">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" value="${escapeHtml(username)}" autofocus autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<input id="kc-login" name="login" type="submit" value="Sign In">
</form>
${testUsersTable(testUsers)}`,
  );
}

/** A page with a heading and one sentence, e.g. "You are logged out". */
export function messagePage(title, message) {
  return page(title, `<h1 id="kc-page-title">${escapeHtml(title)}</h1><p id="kc-info-message">${escapeHtml(message)}</p>`);
}

/** Keycloak's "Do you want to log out?" confirmation; the form carries the original parameters. */
export function logoutConfirmPage({ action, fields }) {
  const hidden = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n");
  return page(
    "Logging out",
    `<h1 id="kc-page-title">Logging out</h1><p>Do you want to log out?</p>
<form id="kc-logout-form" method="post" action="${escapeHtml(action)}">
${hidden}
<input type="hidden" name="confirmLogout" value="true">
<input id="kc-logout" name="logout" type="submit" value="Logout">
</form>`,
  );
}

/** Keycloak's generic error page ("We are sorry..."). */
export function errorPage(message) {
  return page("We are sorry...", `<h1 id="kc-page-title">We are sorry...</h1><p id="kc-error-message">${escapeHtml(message)}</p>`);
}
