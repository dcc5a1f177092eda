// Small local pages in the shape of Keycloak's login theme: no external fonts, scripts or styles.

const STYLE = `body{font-family:system-ui,sans-serif;background:#f0f0f0;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-top:4px solid #0066cc}
label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;box-sizing:border-box}
button,input[type=submit]{margin-top:1.5rem;padding:.6rem 1.2rem;background:#0066cc;color:#fff;border:0}
.alert-error{background:#fdecea;color:#a30000;padding:.6rem;margin-top:1rem}`;

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main id="kc-content">${body}</main></body></html>`;
}

/** Keycloak-like sign-in form; `error` shows Keycloak's message above the fields. */
export function loginPage({ action, realmName, username = "", error }) {
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
</form>`,
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
