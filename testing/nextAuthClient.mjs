// @ts-check
// Signs a user in and out of the app over plain HTTP, the way a browser and next-auth/react do it:
// /api/auth/csrf, the sign-in POST, the provider's login form, the callback; the sign-out POST with the
// CSRF token. For specs that need many sessions or raw requests, and for the benchmark. Nothing here
// prints a cookie or a token.
import { CookieJar } from "./cookieJar.mjs";
import { HttpFlowError } from "./httpFlowError.mjs";
import { logInAtProvider } from "./loginForm.mjs";

/** next-auth's session cookie: one, or chunks `.0`, `.1`, ... when it is larger than 4 KB. */
export const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/**
 * One browser's worth of app session.
 * @typedef {{
 *   jar: CookieJar,
 *   appUrl: string,
 *   publicUrl: string,
 *   csrfToken: string,
 *   landedAt: string,
 *   cookies: { name: string, value: string }[],
 *   cookieHeader: string,
 *   ms: number,
 * }} AppSession
 * `appUrl` is the instance the requests go to, `publicUrl` NEXTAUTH_URL; `landedAt` is where the callback sent
 * the browser; `cookies` and `cookieHeader` are the session cookie(s) as set at sign-in (a copy, as a deployed
 * app on its own host would receive them); `ms` is how long the sign-in took.
 */

/**
 * @param {Record<string, string>} fields
 * @returns {RequestInit}
 */
const formPost = (fields) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
});

/**
 * next-auth's session cookie(s) in `jar` for `appUrl`.
 * @param {CookieJar} jar
 * @param {string} appUrl
 */
export function sessionCookies(jar, appUrl) {
  return jar.cookiesFor(appUrl).filter(({ name }) => SESSION_COOKIE.test(name));
}

/**
 * GET /api/auth/csrf: sets the csrf cookie in `jar` and returns the token that goes with it.
 * @param {CookieJar} jar
 * @param {string} appUrl
 * @returns {Promise<string>}
 */
export async function csrfToken(jar, appUrl) {
  const url = `${appUrl}/api/auth/csrf`;
  const response = await jar.fetch(url);
  const token = response.ok ? /** @type {{ csrfToken?: string }} */ (await response.json()).csrfToken : undefined;
  if (!token) throw new HttpFlowError("GET /api/auth/csrf", response.status, url);
  return token;
}

/**
 * Signs `user` in through next-auth's Keycloak provider and the provider's login form. When `appUrl` differs
 * from `publicUrl` (NEXTAUTH_URL, the registered redirect URI), the provider's redirect to the public callback
 * is delivered to `appUrl`, as a load balancer in front of several instances would.
 * @param {{ appUrl: string, publicUrl?: string, user: { username: string, password: string }, callbackUrl?: string, jar?: CookieJar }} options
 * @returns {Promise<AppSession>}
 */
export async function signIn({ appUrl, publicUrl = appUrl, user, callbackUrl = "/", jar = new CookieJar() }) {
  const started = performance.now();
  const token = await csrfToken(jar, appUrl);
  const startUrl = `${appUrl}/api/auth/signin/keycloak`;
  const start = await jar.fetch(startUrl, formPost({ csrfToken: token, callbackUrl, json: "true" }));
  const authorizeUrl = start.ok ? /** @type {{ url?: string }} */ (await start.json()).url : undefined;
  if (!authorizeUrl || !/\/protocol\/openid-connect\/auth\b/.test(authorizeUrl)) {
    throw new HttpFlowError("POST /api/auth/signin/keycloak (no authorization URL)", start.status, startUrl);
  }

  const redirect = await logInAtProvider(jar, authorizeUrl, user);
  if (!redirect.location.startsWith(`${publicUrl}/api/auth/callback/keycloak`)) {
    // Behind one NEXTAUTH_URL, the provider sends every instance's callback there: pass it as `publicUrl`.
    throw new HttpFlowError(`login: the provider's redirect is not ${publicUrl}'s callback (is publicUrl NEXTAUTH_URL?)`, undefined, redirect.location);
  }
  const callbackUrlAtApp = appUrl + redirect.location.slice(publicUrl.length);
  const callback = await jar.fetch(callbackUrlAtApp);
  const landedAt = callback.headers.get("location") ?? "";
  const cookies = sessionCookies(jar, appUrl);
  if (callback.status !== 302 || /[?&]error=/.test(landedAt) || cookies.length === 0) {
    throw new HttpFlowError(`GET /api/auth/callback/keycloak (no session; landed at ${landedAt.split("?")[0]})`, callback.status, callbackUrlAtApp);
  }
  return {
    jar,
    appUrl,
    publicUrl,
    csrfToken: token,
    landedAt,
    cookies,
    cookieHeader: cookies.map(({ name, value }) => `${name}=${value}`).join("; "),
    ms: performance.now() - started,
  };
}

/**
 * GET /api/auth/session with the session's cookies: `{}` when signed out.
 * @param {AppSession} session
 * @param {string} [appUrl] another instance than the one signed in at
 * @returns {Promise<Record<string, any>>}
 */
export async function getSession(session, appUrl = session.appUrl) {
  const url = `${appUrl}/api/auth/session`;
  const response = await session.jar.fetch(url);
  if (!response.ok) throw new HttpFlowError("GET /api/auth/session", response.status, url);
  return response.json();
}

/**
 * What a sign-out POST ended in. `ms` times the POST alone (where the Keycloak handshake runs);
 * `signedOut`: 200, a redirect URL, and no session cookie left.
 * @typedef {{ status: number, url?: string, ms: number, signedOut: boolean }} SignOutResult
 */

/**
 * POST /api/auth/signout as next-auth/react's signOut() does, whatever the outcome. `csrfToken: null`
 * leaves the field out; by default the token from sign-in is sent.
 * @param {AppSession} session
 * @param {{ appUrl?: string, callbackUrl?: string, csrfToken?: string | null }} [options]
 * @returns {Promise<SignOutResult>}
 */
export async function postSignOut(session, { appUrl = session.appUrl, callbackUrl = "/", csrfToken = session.csrfToken } = {}) {
  /** @type {Record<string, string>} */
  const fields = { callbackUrl, json: "true" };
  if (csrfToken !== null) fields.csrfToken = csrfToken;
  const started = performance.now();
  const response = await session.jar.fetch(`${appUrl}/api/auth/signout`, formPost(fields));
  const text = await response.text();
  const ms = performance.now() - started;
  let url;
  try {
    url = /** @type {{ url?: string }} */ (JSON.parse(text)).url;
  } catch {
    url = response.headers.get("location") ?? undefined;
  }
  const signedOut = response.status === 200 && Boolean(url) && sessionCookies(session.jar, appUrl).length === 0;
  return { status: response.status, url, ms, signedOut };
}

/**
 * Signs out (see postSignOut) and throws unless the app signed the user out.
 * @param {AppSession} session
 * @param {{ appUrl?: string, callbackUrl?: string }} [options]
 */
export async function signOut(session, options = {}) {
  const result = await postSignOut(session, options);
  if (!result.signedOut) throw new HttpFlowError("POST /api/auth/signout (still signed in)", result.status, `${options.appUrl ?? session.appUrl}/api/auth/signout`);
  return result;
}
