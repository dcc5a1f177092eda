// @ts-check
// A browser's cookie store for tests that talk HTTP without a browser (RFC 6265 §5.3-5.4, the parts that
// next-auth, the built-in provider and Keycloak use): host-only and Domain cookies, Path, Max-Age and
// Expires. As in browsers, ports do not separate cookies. Secure and SameSite are not enforced: tests run
// over http://localhost, where browsers accept Secure cookies too.

/** @typedef {{ name: string, value: string, domain: string, hostOnly: boolean, path: string, expiresAtMs: number }} StoredCookie */

/**
 * The directory of a request path, the default cookie path (RFC 6265 §5.1.4).
 * @param {string} pathname
 */
function defaultPath(pathname) {
  const slash = pathname.lastIndexOf("/");
  return slash <= 0 ? "/" : pathname.slice(0, slash);
}

/**
 * @param {string} host
 * @param {StoredCookie} cookie
 */
function domainMatches(host, cookie) {
  return cookie.hostOnly ? host === cookie.domain : host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

/**
 * @param {string} pathname
 * @param {string} cookiePath
 */
function pathMatches(pathname, cookiePath) {
  if (pathname === cookiePath) return true;
  if (!pathname.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || pathname[cookiePath.length] === "/";
}

/** Cookies by domain, path and name; `fetch` sends and stores them and never follows redirects. */
export class CookieJar {
  /** @type {Map<string, StoredCookie>} */
  #cookies = new Map();

  /**
   * Keeps the Set-Cookie headers of a response to `url`; an expired cookie deletes the stored one.
   * @param {string | URL} url
   * @param {Response} response
   */
  store(url, response) {
    for (const line of response.headers.getSetCookie()) this.setCookie(url, line);
  }

  /**
   * Stores one Set-Cookie header value received from `url`.
   * @param {string | URL} url
   * @param {string} setCookie
   */
  setCookie(url, setCookie) {
    const { hostname, pathname } = new URL(url);
    const [pair, ...attributes] = setCookie.split(";");
    const eq = pair.indexOf("=");
    if (eq <= 0) return;
    /** @type {StoredCookie} */
    const cookie = {
      name: pair.slice(0, eq).trim(),
      value: pair.slice(eq + 1).trim(),
      domain: hostname,
      hostOnly: true,
      path: defaultPath(pathname),
      expiresAtMs: Infinity,
    };
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const i = attribute.indexOf("=");
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const value = i < 0 ? "" : attribute.slice(i + 1).trim();
      if (key === "max-age" && /^-?\d+$/.test(value)) {
        maxAgeSeen = true;
        cookie.expiresAtMs = Number(value) <= 0 ? 0 : Date.now() + Number(value) * 1000;
      } else if (key === "expires" && !maxAgeSeen && !Number.isNaN(Date.parse(value))) {
        cookie.expiresAtMs = Date.parse(value);
      } else if (key === "domain" && value) {
        const domain = value.replace(/^\./, "").toLowerCase();
        // A server may not set cookies for another site (§5.3 step 6).
        if (hostname !== domain && !hostname.endsWith(`.${domain}`)) return;
        cookie.domain = domain;
        cookie.hostOnly = false;
      } else if (key === "path" && value.startsWith("/")) {
        cookie.path = value;
      }
    }
    const key = `${cookie.domain};${cookie.path};${cookie.name}`;
    if (cookie.expiresAtMs <= Date.now()) this.#cookies.delete(key);
    else this.#cookies.set(key, cookie);
  }

  /**
   * The cookies a browser would send to `url`, longest path first.
   * @param {string | URL} url
   * @returns {{ name: string, value: string }[]}
   */
  cookiesFor(url) {
    const { hostname, pathname } = new URL(url);
    const now = Date.now();
    return [...this.#cookies.values()]
      .filter((c) => c.expiresAtMs > now && domainMatches(hostname, c) && pathMatches(pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map(({ name, value }) => ({ name, value }));
  }

  /**
   * The Cookie header for `url` ("" when there is none).
   * @param {string | URL} url
   */
  header(url) {
    return this.cookiesFor(url)
      .map(({ name, value }) => `${name}=${value}`)
      .join("; ");
  }

  /**
   * The value of cookie `name` as sent to `url`, or undefined.
   * @param {string} name
   * @param {string | URL} url
   */
  get(name, url) {
    return this.cookiesFor(url).find((c) => c.name === name)?.value;
  }

  /**
   * fetch with this jar's cookies for `url`; stores what the response sets; never follows redirects.
   * @param {string | URL} url
   * @param {RequestInit} [init]
   */
  async fetch(url, init = {}) {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, response);
    return response;
  }
}
