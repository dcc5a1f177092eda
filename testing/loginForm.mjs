// @ts-check
// The identity provider's login pages, walked as a browser would: redirects to Keycloak's login form
// (`<form id="kc-form-login" action="...">`, fields username and password), its submission, and the
// redirects back out of the provider with an authorization code. Works on the built-in provider's page and
// on real Keycloak's, whose action URL carries `&amp;` entities and whose form has hidden fields.
import { HttpFlowError } from "./httpFlowError.mjs";

/**
 * The login form, as the provider answered it.
 * @typedef {{ kind: "form", html: string, action: string, fields: Record<string, string>, status: number, url: string }} LoginPage
 */
/**
 * The provider's redirect out of itself, to the client's redirect URI, with the authorization code.
 * @typedef {{ kind: "code", code: string, state: string | null, location: string }} CodeRedirect
 */
/** @typedef {LoginPage | CodeRedirect} LoginStep */

const MAX_REDIRECTS = 15;
const ENTITIES = /** @type {Record<string, string>} */ ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" });

/**
 * Decodes the HTML character references found in attribute values.
 * @param {string} text
 */
export function decodeEntities(text) {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (match, ref) => {
    if (ref[0] !== "#") return ENTITIES[ref.toLowerCase()] ?? match;
    return String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
  });
}

/**
 * @param {string} tag
 * @param {string} name
 */
const attribute = (tag, name) => {
  const value = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "i").exec(tag);
  return value ? decodeEntities(value[1] ?? value[2]) : undefined;
};

/**
 * Keycloak's login form on a page: its absolute action URL and the hidden fields to send along; undefined
 * when the page has none.
 * @param {string} html
 * @param {string | URL} pageUrl
 * @returns {{ action: string, fields: Record<string, string> } | undefined}
 */
export function findLoginForm(html, pageUrl) {
  const start = /<form\b[^>]*>/gi;
  for (let match = start.exec(html); match; match = start.exec(html)) {
    const action = attribute(match[0], "action");
    if (attribute(match[0], "id") !== "kc-form-login" || action === undefined) continue;
    const end = html.indexOf("</form>", start.lastIndex);
    const body = html.slice(start.lastIndex, end < 0 ? undefined : end);
    /** @type {Record<string, string>} */
    const fields = {};
    for (const input of body.match(/<input\b[^>]*>/gi) ?? []) {
      const name = attribute(input, "name");
      if (name && attribute(input, "type")?.toLowerCase() === "hidden") fields[name] = attribute(input, "value") ?? "";
    }
    return { action: new URL(action, pageUrl).href, fields };
  }
  return undefined;
}

/**
 * Requests `url` with `jar` and follows redirects until the login form or a redirect that leaves the
 * provider (another origin than `url`'s), which must carry a code.
 * @param {import("./cookieJar.mjs").CookieJar} jar
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<LoginStep>}
 */
export async function followToFormOrCode(jar, url, init) {
  const providerOrigin = new URL(url).origin;
  let response = await jar.fetch(url, init);
  for (let hops = 0; hops <= MAX_REDIRECTS; hops += 1) {
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== providerOrigin) {
        const code = next.searchParams.get("code");
        if (!code) throw new HttpFlowError(`login ended without a code (error=${next.searchParams.get("error")})`, response.status, next);
        return { kind: "code", code, state: next.searchParams.get("state"), location: next.href };
      }
      url = next.href;
      response = await jar.fetch(url);
      continue;
    }
    const html = await response.text();
    const form = findLoginForm(html, url);
    if (!form) throw new HttpFlowError("finding the login form (kc-form-login)", response.status, url);
    return { kind: "form", html, ...form, status: response.status, url };
  }
  throw new HttpFlowError("following the provider's redirects (too many)", response.status, url);
}

/**
 * Submits the login form (`page`, or just its action URL) as `username`; returns the next form (a rejected
 * login shows it again) or the code redirect.
 * @param {import("./cookieJar.mjs").CookieJar} jar
 * @param {LoginPage | string} page
 * @param {string} username
 * @param {string} password
 */
export function submitLogin(jar, page, username, password) {
  const { action, fields } = typeof page === "string" ? { action: page, fields: {} } : page;
  return followToFormOrCode(jar, action, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, username, password }),
  });
}

/**
 * Carries a login on from `step` (what the provider answered so far): submits the form as `user` unless
 * the provider's session answered silently. Throws when the provider does not accept the password.
 * @param {import("./cookieJar.mjs").CookieJar} jar
 * @param {LoginStep} step
 * @param {{ username: string, password: string }} user
 * @returns {Promise<CodeRedirect & { silent: boolean }>}
 */
export async function completeLogin(jar, step, { username, password }) {
  if (step.kind === "code") return { ...step, silent: true };
  const after = await submitLogin(jar, step, username, password);
  if (after.kind === "form") throw new HttpFlowError(`login as ${username} (the provider showed the form again)`, after.status, after.url);
  return { ...after, silent: false };
}

/**
 * The whole visit at the provider: from `authorizeUrl` through the login form to the code redirect.
 * @param {import("./cookieJar.mjs").CookieJar} jar
 * @param {string} authorizeUrl
 * @param {{ username: string, password: string }} user
 */
export async function logInAtProvider(jar, authorizeUrl, user) {
  return completeLogin(jar, await followToFormOrCode(jar, authorizeUrl), user);
}
