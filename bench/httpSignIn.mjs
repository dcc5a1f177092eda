// Signs a user in and out of the app over plain HTTP, the way a browser and next-auth/react do it.
// Nothing here prints a cookie or token; errors name the step, the status and the URL path only.

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** A browser-like cookie jar: cookies by host name (like browsers, ports do not separate them); paths ignored. */
export class CookieJar {
  #byHost = new Map();

  /** Keeps the Set-Cookie headers of `response` for the host of `url`; Max-Age=0 or a past Expires deletes. */
  store(url, response) {
    const host = new URL(url).hostname;
    const cookies = this.#byHost.get(host) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, val = ""] = attribute.trim().split("=");
        if (/^max-age$/i.test(key)) return Number(val) <= 0;
        if (/^expires$/i.test(key)) return Date.parse(attribute.trim().slice(8)) <= Date.now();
        return false;
      });
      if (expired || value === "") cookies.delete(name);
      else cookies.set(name, value);
    }
    this.#byHost.set(host, cookies);
  }

  /** The Cookie header a browser would send to `url`. */
  header(url) {
    const cookies = this.#byHost.get(new URL(url).hostname) ?? new Map();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** next-auth's session cookie(s) for `url`: one, or several chunks `.0`, `.1`, ... */
  sessionCookies(url) {
    const cookies = this.#byHost.get(new URL(url).hostname) ?? new Map();
    return [...cookies].filter(([name]) => SESSION_COOKIE.test(name)).map(([name, value]) => ({ name, value }));
  }

  /** fetch with this jar; never follows redirects. */
  async fetch(url, init = {}) {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, response);
    return response;
  }
}

/** A failed step of the sign-in or sign-out, without secrets in its message. */
export class HttpFlowError extends Error {
  constructor(step, status, url) {
    const where = url ? new URL(url).pathname : "";
    super(`${step} failed (status ${status}${where ? `, ${where}` : ""})`);
    this.name = "HttpFlowError";
  }
}

const form = (fields) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

async function csrfToken(jar, appUrl) {
  const response = await jar.fetch(`${appUrl}/api/auth/csrf`);
  if (!response.ok) throw new HttpFlowError("GET /api/auth/csrf", response.status, `${appUrl}/api/auth/csrf`);
  const { csrfToken: token } = await response.json();
  if (!token) throw new HttpFlowError("csrf token missing", response.status);
  return token;
}

/**
 * Signs `username` in through next-auth's Keycloak provider and the IdP's login form.
 * `appUrl` is the instance the requests go to; `publicUrl` is NEXTAUTH_URL (the redirect URI registered at
 * the IdP). When they differ, the IdP's redirect to the public callback is delivered to `appUrl`, as a
 * load balancer in front of several instances would. Returns the jar and the session cookie(s).
 */
export async function signIn({ appUrl, publicUrl = appUrl, username, password, callbackPath = "/" }) {
  const jar = new CookieJar();
  const started = performance.now();
  const callbackUrl = `${publicUrl}${callbackPath}`;

  const token = await csrfToken(jar, appUrl);
  const start = await jar.fetch(`${appUrl}/api/auth/signin/keycloak`, form({ csrfToken: token, callbackUrl, json: "true" }));
  if (!start.ok) throw new HttpFlowError("POST /api/auth/signin/keycloak", start.status, start.url);
  const { url: authorizeUrl } = await start.json();
  if (!authorizeUrl || !/\/protocol\/openid-connect\/auth\b/.test(authorizeUrl)) {
    throw new HttpFlowError("sign-in did not point at the IdP's authorization endpoint", start.status);
  }

  const callbackPrefix = `${publicUrl}/api/auth/callback/keycloak`;
  const redirect = await loginAtIdp({ jar, authorizeUrl, username, password, redirectUri: callbackPrefix });
  const url = appUrl + redirect.slice(publicUrl.length);
  const callback = await jar.fetch(url);
  const landing = callback.headers.get("location") ?? "";
  const cookies = jar.sessionCookies(appUrl);
  if (callback.status < 300 || callback.status >= 400 || /[?&]error=/.test(landing) || cookies.length === 0) {
    throw new HttpFlowError("GET /api/auth/callback/keycloak (no session cookie)", callback.status, url);
  }
  return {
    jar,
    cookies,
    /** Cookie header with only the session cookie(s), as a deployed app on its own host would receive. */
    cookieHeader: cookies.map(({ name, value }) => `${name}=${value}`).join("; "),
    ms: performance.now() - started,
  };
}

/**
 * At the IdP: follows redirects from `authorizeUrl` to the login form, submits it, and follows redirects
 * until the one to `redirectUri`, which it returns (not fetched).
 */
export async function loginAtIdp({ jar, authorizeUrl, username, password, redirectUri }) {
  let url = authorizeUrl;
  let response = await jar.fetch(url);
  let submitted = false;
  for (let hops = 0; hops <= 15; hops += 1) {
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      if (url.startsWith(redirectUri)) return url;
      response = await jar.fetch(url);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*\baction="([^"]+)"/i.exec(html)?.[1];
    if (submitted || !action || !/name="username"/.test(html) || !/name="password"/.test(html)) {
      throw new HttpFlowError(submitted ? "login rejected by the IdP" : "IdP login form not found", response.status, url);
    }
    submitted = true;
    url = new URL(action.replace(/&amp;/g, "&"), url).href;
    response = await jar.fetch(url, form({ username, password, login: "Sign In" }));
  }
  throw new HttpFlowError("too many redirects at the IdP", response.status, url);
}

/**
 * Signs out as next-auth/react's signOut() does: GET /api/auth/csrf, then POST /api/auth/signout with
 * csrfToken, callbackUrl and json=true. `postMs` times the POST alone (where the Keycloak handshake runs).
 */
export async function signOut({ jar, appUrl, publicUrl = appUrl }) {
  const started = performance.now();
  const token = await csrfToken(jar, appUrl);
  const postStarted = performance.now();
  const response = await jar.fetch(`${appUrl}/api/auth/signout`, form({ csrfToken: token, callbackUrl: `${publicUrl}/`, json: "true" }));
  const body = await response.text();
  const postMs = performance.now() - postStarted;
  if (!response.ok) throw new HttpFlowError("POST /api/auth/signout", response.status, `${appUrl}/api/auth/signout`);
  if (jar.sessionCookies(appUrl).length !== 0) throw new HttpFlowError("sign-out left the session cookie", response.status);
  let url;
  try {
    url = JSON.parse(body).url;
  } catch {
    // checked below
  }
  if (!url) throw new HttpFlowError("sign-out answered no redirect URL", response.status);
  return { postMs, totalMs: performance.now() - started };
}
