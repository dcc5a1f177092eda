// @ts-check
// The virtual people of a chaos run. A browser (one user, one cookie jar) signs in, reads its session, calls the
// userinfo recipe, opens /admin or /profile, lists its Keycloak sessions, re-authenticates, signs out (sometimes
// with a hostile callback-url cookie planted by a sibling origin, a malformed callbackUrl, or `?prompt=none` on its
// next sign-in) and signs out everywhere. An attacker keeps copies of cookies taken before sign-out and replays
// them (reads and sign-outs with a fresh CSRF pair). An operator ends users' sessions with Keycloak's admin logout.
// Every request goes into the history; every choice comes from the actor's own seeded stream.
import { CookieJar } from "../testing/cookieJar.mjs";
import { followToFormOrCode, submitLogin } from "../testing/loginForm.mjs";
import { sessionCookies } from "../testing/nextAuthClient.mjs";

/** @typedef {import("./history.mjs").Entry} Entry */
/** @typedef {import("./history.mjs").History} History */
/** @typedef {import("./schedule.mjs").Random} Random */
/** @typedef {import("../testing/users.mjs").TestUser} TestUser */

/**
 * What actors need from the stack: the instances a load balancer would send a request to now, the public URL the
 * provider redirects to, and the provider's admin logout.
 * @typedef {{
 *   liveApps: () => { index: number, url: string }[],
 *   publicUrl: string,
 *   adminLogout: (username: string) => Promise<void>,
 * }} ActorStack
 */

/** No request waits longer than this (a hung provider would otherwise hold an actor for ever). */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Values a hostile sibling origin (another port of localhost) could plant as next-auth's callback-url cookie, and
 * callbackUrl values a hostile form could post: none of them may keep a user from signing out (issue 17).
 */
const HOSTILE_CALLBACK_URLS = ["http://", "https://[", "http://%zz", "http://exa mple.com/", "//[::1"];

/** A CookieJar whose requests give up after REQUEST_TIMEOUT_MS. */
class TimedJar extends CookieJar {
  /**
   * @param {string | URL} url
   * @param {RequestInit} [init]
   */
  fetch(url, init = {}) {
    return super.fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
  }
}

/**
 * The session cookie a jar would send to `url`, its chunks joined in order (undefined if none).
 * @param {CookieJar} jar
 * @param {string} url
 */
function sessionCookieValue(jar, url) {
  const chunks = sessionCookies(jar, url);
  if (!chunks.length) return undefined;
  const suffix = (/** @type {string} */ name) => Number(/\.(\d+)$/.exec(name)?.[1] ?? 0);
  return chunks
    .sort((a, b) => suffix(a.name) - suffix(b.name))
    .map((c) => c.value)
    .join("");
}

/**
 * A stolen copy of a browser's session cookie, as Set-Cookie lines an attacker can put in a fresh jar;
 * `signedOutMs`: when its owner's sign-out was answered, once it was; `use`: what the attacker does with it (a thief
 * reads as the victim, a vandal replays sign-outs; kept apart so that the vandal's replays never end a session the
 * thief is trying to revive).
 * @typedef {{ lines: string[], value: string, stolenMs: number, from: string, use: "read" | "sign-out", signedOutMs?: number }} StolenCookie
 */

/** After its owner signs out, a thief's copy is replayed this long after the sign-out (ms): inside and past every window. */
const REPLAY_AFTER_MS = [500, 3000, 8000, 15000, 30000];

/** The attacker's loot: the latest copy of each browser's cookie, and when each copy is due for a replay. */
export class Loot {
  /** @type {StolenCookie[]} */
  items = [];
  /** @type {{ atMs: number, item: StolenCookie }[]} */
  due = [];

  /**
   * Keeps `item`, replacing the copy its browser leaked earlier in the same session (the owner has not signed out).
   * @param {StolenCookie} item
   */
  add(item) {
    this.items = this.items.filter((known) => known.from !== item.from || known.signedOutMs !== undefined);
    this.items.push(item);
    if (this.items.length > 200) this.items.shift();
  }

  /**
   * `browser` signed out at `atMs`: its copy is replayed on a schedule (a thief's: REPLAY_AFTER_MS; a vandal's: once,
   * within a few seconds).
   * @param {string} browser
   * @param {number} atMs
   * @param {Random} random
   */
  signedOut(browser, atMs, random) {
    for (const item of this.items) {
      if (item.from !== browser || item.signedOutMs !== undefined) continue;
      item.signedOutMs = atMs;
      const delays = item.use === "read" ? REPLAY_AFTER_MS : [random.int(200, 5000)];
      for (const delay of delays) this.due.push({ atMs: atMs + delay, item });
    }
    this.due.sort((x, y) => x.atMs - y.atMs);
  }

  /**
   * The copy to replay now: the one most overdue, else (now and then) any recent one.
   * @param {Random} random
   * @param {number} nowMs
   */
  pick(random, nowMs) {
    if (this.due.length && this.due[0].atMs <= nowMs) return this.due.shift()?.item;
    return this.items.length && random.chance(0.3) ? random.pick(this.items.slice(-40)) : undefined;
  }
}

/** Common to every actor: the history, the stack, a random stream, a stop flag. */
class Actor {
  /**
   * @param {{ name: string, role: Entry["role"], history: History, stack: ActorStack, random: Random }} options
   */
  constructor({ name, role, history, stack, random }) {
    this.name = name;
    this.role = role;
    this.history = history;
    this.stack = stack;
    this.random = random;
    this.operations = 0;
  }

  /** An instance a load balancer would pick now. */
  app() {
    const live = this.stack.liveApps();
    return live.length ? this.random.pick(live) : undefined;
  }

  /**
   * One request to the app, recorded: method, path, what it carried, its status; `classify` says what it saw.
   * @param {{
   *   opId: number, op: string, step?: string, jar: CookieJar, app: { index: number, url: string }, path: string,
   *   init?: RequestInit, carriedValue?: string, classify?: (response: Response, body: string) => Partial<Entry>,
   * }} request
   */
  async request({ opId, op, step, jar, app, path, init = {}, carriedValue, classify }) {
    const url = `${app.url}${path}`;
    const carried = await this.history.identify(carriedValue ?? sessionCookieValue(jar, url));
    const entry = this.history.begin({
      opId, actor: this.name, role: this.role, op, ...(step ? { step } : {}), target: "app", instance: app.index,
      method: init.method ?? "GET", path: path.split("?")[0], ...(carried ? { carried } : {}),
    });
    try {
      const response = await jar.fetch(url, init);
      const body = await response.text();
      this.history.finish(entry, { status: response.status, ...(classify ? classify(response, body) : {}) });
      return { entry, response, body };
    } catch (error) {
      this.history.finish(entry, { saw: "no-answer", detail: errorName(error) });
      return { entry, response: undefined, body: "" };
    }
  }

  /** Waits a little, as a person between clicks. */
  think() {
    return sleep(this.random.int(10, 120));
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {unknown} error */
function errorName(error) {
  const e = /** @type {{ name?: string, cause?: { code?: string }, code?: string, message?: string }} */ (error);
  return e?.cause?.code ?? e?.code ?? e?.name ?? "error";
}

/**
 * What a GET /api/auth/session answer says.
 * @param {Response} response
 * @param {string} body
 * @returns {Partial<Entry>}
 */
export function classifySession(response, body) {
  if (response.status !== 200) return { saw: "failed" };
  try {
    const session = JSON.parse(body);
    if (session?.user) return { saw: "signed-in" };
    if (session?.error === "SessionUnavailable") return { saw: "unavailable" };
    if (session?.error) return { saw: "refresh-error", detail: String(session.error) };
    return { saw: "signed-out" };
  } catch {
    return { saw: "failed" };
  }
}

/**
 * What a guarded page's answer says: a page, a 403 or a redirect to re-authenticate all mean the session was
 * accepted; a redirect to sign in means it was not (with error=SessionUnavailable: the store was away).
 * @param {Response} response
 * @returns {Partial<Entry>}
 */
export function classifyPage(response) {
  const location = response.headers.get("location") ?? "";
  if (response.status === 200 || response.status === 403) return { saw: "signed-in" };
  if (response.status >= 300 && response.status < 400) {
    if (location.includes("/auth/reauth")) return { saw: "signed-in", detail: "re-authentication asked" };
    if (location.includes("SessionUnavailable")) return { saw: "unavailable" };
    if (location.includes("/auth/signin")) return { saw: "signed-out" };
  }
  return { saw: "failed" };
}

/**
 * What a userinfo or account answer says: 200 (and 403, Keycloak's refusal of a token the app handed it, or 503
 * KEYCLOAK_UNAVAILABLE: the app handed Keycloak the session's token and Keycloak failed) mean the app accepted the
 * session; 401 that it did not; 503 STORE_UNAVAILABLE that the store was away.
 * @param {Response} response
 * @param {string} body
 * @returns {Partial<Entry>}
 */
export function classifyApi(response, body) {
  if (response.status === 200 || response.status === 403) return { saw: "signed-in" };
  if (response.status === 401) return { saw: "signed-out" };
  if (response.status === 503) return jsonField(body, "error") === "KEYCLOAK_UNAVAILABLE" ? { saw: "signed-in", detail: "Keycloak failed" } : { saw: "unavailable" };
  return { saw: "failed" };
}

/**
 * A string field of a JSON body, or undefined (an HTML error page, say).
 * @param {string} body
 * @param {string} field
 * @returns {string | undefined}
 */
function jsonField(body, field) {
  try {
    const value = JSON.parse(body)?.[field];
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {Record<string, string>} fields
 * @returns {RequestInit}
 */
const formPost = (fields) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
});

/** One person in one browser. */
export class Browser extends Actor {
  /**
   * @param {{ name: string, user: TestUser, history: History, stack: ActorStack, random: Random, loot: Loot }} options
   */
  constructor({ user, loot, ...rest }) {
    super({ ...rest, role: "user" });
    this.user = user;
    this.loot = loot;
    this.jar = new TimedJar();
    /** The next sign-in adds `?prompt=none` (a hostile link or script trying to skip the password). */
    this.promptNoneNext = false;
    /**
     * Who gets this browser's stolen cookies: the thief or the vandal, per browser, so that the vandal's sign-out
     * replays never end the Keycloak session (shared by the browser's sign-ins) the thief is trying to revive.
     * @type {"read" | "sign-out"}
     */
    this.leakUse = this.random.chance(0.6) ? "read" : "sign-out";
  }

  /** True while the jar holds a session cookie. */
  hasSession() {
    return Boolean(sessionCookieValue(this.jar, this.stack.publicUrl));
  }

  /** One action, chosen by the actor's stream. */
  async step() {
    const opId = this.history.nextOp();
    this.operations += 1;
    if (!this.hasSession()) return this.signIn(opId, this.promptNoneNext ? "?prompt=none" : "");
    const isAdmin = this.user.realmRoles.includes("admin");
    const op = this.random.weighted({ session: 34, page: 14, userinfo: 10, account: 5, signOut: 12, everywhere: 1.5, reauth: isAdmin ? 3 : 0, leak: 4 });
    const app = this.app();
    if (!app) return sleep(200);
    if (op === "session") return this.request({ opId, op: "session", jar: this.jar, app, path: "/api/auth/session", classify: classifySession });
    if (op === "page") return this.request({ opId, op: "page", jar: this.jar, app, path: isAdmin ? "/admin" : "/profile", classify: classifyPage });
    if (op === "userinfo") return this.request({ opId, op: "userinfo", jar: this.jar, app, path: "/api/keycloak/userinfo", classify: classifyApi });
    if (op === "account") {
      return this.request({ opId, op: "account", jar: this.jar, app, path: "/api/account/sessions", init: { headers: { accept: "application/json" } }, classify: classifyApi });
    }
    if (op === "signOut") return this.signOut(opId, app);
    if (op === "everywhere") return this.signOutEverywhere(opId, app);
    if (op === "reauth") return this.signIn(opId, "?max_age=1", "reauth");
    this.leak();
  }

  /** Gives the attacker a copy of the session cookie as it is now (a stolen laptop, a malicious extension). */
  leak() {
    const lines = sessionCookies(this.jar, this.stack.publicUrl).map(({ name, value }) => `${name}=${value}; Path=/`);
    const value = sessionCookieValue(this.jar, this.stack.publicUrl);
    if (value) this.loot.add({ lines, value, stolenMs: this.history.now(), from: this.name, use: this.leakUse });
  }

  /**
   * Signs in through next-auth and the provider's login form, as the browser would, with `query` on next-auth's
   * sign-in request (prompt=none: hostile; max_age: re-authentication). Records what the provider did.
   * @param {number} opId
   * @param {string} query
   * @param {"sign-in" | "reauth"} op
   */
  async signIn(opId, query, op = "sign-in") {
    this.promptNoneNext = false;
    const app = this.app();
    if (!app) return sleep(200);
    const signedIn = await this.#signInAt(opId, query, op, app);
    // A person whose sign-in failed waits a moment before trying again.
    if (!signedIn) await sleep(this.random.int(300, 1000));
  }

  /**
   * @param {number} opId
   * @param {string} query
   * @param {"sign-in" | "reauth"} op
   * @param {{ index: number, url: string }} app
   * @returns {Promise<boolean>} whether a session was issued
   */
  async #signInAt(opId, query, op, app) {
    const csrf = await this.request({ opId, op, step: "csrf", jar: this.jar, app, path: "/api/auth/csrf", classify: (r) => ({ saw: r.ok ? "answered" : "failed" }) });
    const token = csrf.response?.ok ? jsonField(csrf.body, "csrfToken") : undefined;
    if (!token) return false;
    const start = await this.request({
      opId, op, step: "start", jar: this.jar, app, path: `/api/auth/signin/keycloak${query}`,
      init: formPost({ csrfToken: token, callbackUrl: op === "reauth" ? "/admin?reauth=1" : "/", json: "true" }),
      classify: (r, body) => ({ saw: r.ok && body.includes("openid-connect/auth") ? "answered" : "failed" }),
    });
    const authorizeUrl = start.response?.ok ? jsonField(start.body, "url") : undefined;
    if (!authorizeUrl || !authorizeUrl.includes("/protocol/openid-connect/auth")) return false;

    const provider = this.history.begin({
      opId, actor: this.name, role: this.role, op, step: "provider", target: "provider", method: "GET", path: new URL(authorizeUrl).pathname,
      ...(query ? { detail: query.slice(1).split("=")[0] } : {}),
    });
    let location;
    try {
      const first = await followToFormOrCode(this.jar, authorizeUrl);
      this.history.finish(provider, { saw: first.kind === "form" ? "form" : "silent", status: first.kind === "form" ? first.status : 302 });
      const done = first.kind === "form" ? await submitLogin(this.jar, first, this.user.username, this.user.password) : first;
      if (done.kind !== "code") return false;
      location = done.location;
    } catch (error) {
      if (provider.saw === undefined) this.history.finish(provider, { saw: "refused", detail: `${provider.detail ?? "plain"}: ${String(/** @type {Error} */ (error).message).slice(0, 80)}` });
      return false;
    }
    if (!location.startsWith(this.stack.publicUrl)) return false;
    const back = this.app() ?? app;
    const callbackPath = location.slice(this.stack.publicUrl.length);
    const callback = await this.request({
      opId, op, step: "callback", jar: this.jar, app: back, path: callbackPath,
      classify: (r) => ({ saw: r.status === 302 && !/[?&]error=/.test(r.headers.get("location") ?? "") ? "signed-in" : "failed" }),
    });
    const issued = await this.history.identify(sessionCookieValue(this.jar, back.url));
    if (callback.entry.saw !== "signed-in" || !issued) return false;
    callback.entry.issued = issued;
    callback.entry.user = this.user.username;
    return true;
  }

  /**
   * next-auth's sign-out: a CSRF pair, then the POST, as signOut() from next-auth/react sends it. Sometimes a
   * sibling origin has planted a callback-url cookie, or the form posts a malformed callbackUrl; often the
   * attacker got a copy of the cookie just before.
   * @param {number} opId
   * @param {{ index: number, url: string }} app
   */
  async signOut(opId, app) {
    if (this.random.chance(0.4)) this.leak();
    const hostile = this.random.weighted({ none: 90, plantedCookie: 4, callbackUrl: 4, promptNoneNext: 6 });
    if (hostile === "plantedCookie") {
      // Ports do not separate cookies: a page on another port of localhost can set this for /api/auth.
      this.jar.setCookie(`http://localhost:9/api/auth/`, `next-auth.callback-url=${encodeURIComponent(this.random.pick(HOSTILE_CALLBACK_URLS))}; Path=/api/auth`);
    }
    const csrf = await this.request({ opId, op: "sign-out", step: "csrf", jar: this.jar, app, path: "/api/auth/csrf", classify: (r) => ({ saw: r.ok ? "answered" : "failed" }) });
    const token = csrf.response?.ok ? jsonField(csrf.body, "csrfToken") : undefined;
    let signedOut = false;
    if (token) {
      const callbackUrl = hostile === "callbackUrl" ? this.random.pick(HOSTILE_CALLBACK_URLS) : "/";
      const { entry } = await this.request({
        opId, op: "sign-out", jar: this.jar, app, path: "/api/auth/signout", init: formPost({ csrfToken: token, callbackUrl, json: "true" }),
        classify: (r, body) => ({
          saw: r.status === 200 && body.includes('"url"') && !sessionCookieValue(this.jar, app.url) ? "signed-out" : "failed",
          ...(hostile === "none" || hostile === "promptNoneNext" ? {} : { detail: hostile }),
        }),
      });
      signedOut = entry.saw === "signed-out";
      if (signedOut) this.loot.signedOut(this.name, entry.endMs, this.random);
    }
    // Often a person who signs out goes away for a while, and the run makes that likelier when the app said Keycloak
    // may still hold the session (its re-authentication mark, README "How sign-out works"): that Keycloak session is
    // then left to the app's logout queue, not ended or reused by this browser's next sign-in.
    const keycloakMayLive = this.jar.cookiesFor(app.url).some((c) => /kc-reauth$/.test(c.name));
    if (signedOut && this.random.chance(keycloakMayLive ? 0.6 : 0.15)) await sleep(this.random.int(8_000, 30_000));
    // A blocked sign-out is measured once, not a user locked in: the person clears the app's callback cookie
    // (planted by the sibling origin, or set by next-auth from the malformed callbackUrl).
    if (!signedOut) {
      for (const at of ["http://localhost:9/api/auth/", "http://localhost:9/"]) this.jar.setCookie(at, `next-auth.callback-url=; Path=${new URL(at).pathname.replace(/\/$/, "") || "/"}; Max-Age=0`);
    }
    if (hostile === "promptNoneNext") this.promptNoneNext = true;
  }

  /**
   * POST /api/account/sign-out-everywhere (JSON), as the profile page's button sends it.
   * @param {number} opId
   * @param {{ index: number, url: string }} app
   */
  async signOutEverywhere(opId, app) {
    const { entry } = await this.request({
      opId, op: "sign-out-everywhere", jar: this.jar, app, path: "/api/account/sign-out-everywhere",
      init: { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
      classify: (r) => ({ saw: r.status === 204 ? "signed-out" : r.status === 401 ? "signed-out" : r.status === 503 ? "unavailable" : "failed" }),
    });
    if (entry.status === 204) this.loot.signedOut(this.name, entry.endMs, this.random);
  }
}

/** Replays stolen cookies: reads as the victim, and sign-outs with a fresh CSRF pair. */
export class Attacker extends Actor {
  /** @param {{ name: string, history: History, stack: ActorStack, random: Random, loot: Loot }} options */
  constructor({ loot, ...rest }) {
    super({ ...rest, role: "attacker" });
    this.loot = loot;
  }

  async step() {
    const app = this.app();
    const stolen = this.loot.pick(this.random, this.history.now());
    if (!app || !stolen) return sleep(50);
    const opId = this.history.nextOp();
    this.operations += 1;
    const jar = new TimedJar();
    for (const line of stolen.lines) jar.setCookie(this.stack.publicUrl, line);
    const op = stolen.use === "sign-out" ? "signOut" : this.random.weighted({ session: 50, page: 25, userinfo: 25 });
    const base = { opId, jar, app, carriedValue: stolen.value };
    if (op === "session") return this.request({ ...base, op: "session", path: "/api/auth/session", classify: classifySession });
    if (op === "page") return this.request({ ...base, op: "page", path: this.random.pick(["/admin", "/profile"]), classify: classifyPage });
    if (op === "userinfo") return this.request({ ...base, op: "userinfo", path: "/api/keycloak/userinfo", classify: classifyApi });
    const csrf = await this.request({ ...base, op: "sign-out", step: "csrf", path: "/api/auth/csrf", classify: (r) => ({ saw: r.ok ? "answered" : "failed" }) });
    const token = csrf.response?.ok ? jsonField(csrf.body, "csrfToken") : undefined;
    if (!token) return;
    await this.request({
      ...base, op: "sign-out", path: "/api/auth/signout", init: formPost({ csrfToken: token, callbackUrl: "/", json: "true" }),
      classify: (r, body) => ({ saw: r.status === 200 && body.includes('"url"') && !sessionCookies(jar, app.url).length ? "signed-out" : "failed", detail: "replay" }),
    });
  }
}

/** Keycloak's administrator: now and then signs a user out of every session (admin console, "Sign out"). */
export class Operator extends Actor {
  /** @param {{ name: string, history: History, stack: ActorStack, random: Random, usernames: string[] }} options */
  constructor({ usernames, ...rest }) {
    super({ ...rest, role: "operator" });
    this.usernames = usernames;
  }

  async step() {
    await sleep(this.random.int(6000, 14000));
    const opId = this.history.nextOp();
    this.operations += 1;
    const username = this.random.pick(this.usernames);
    const entry = this.history.begin({ opId, actor: this.name, role: this.role, op: "admin-logout", target: "control", method: "POST", path: `users/${username}/logout`, user: username });
    try {
      await this.stack.adminLogout(username);
      this.history.finish(entry, { saw: "answered" });
    } catch (error) {
      this.history.finish(entry, { saw: "failed", detail: String(/** @type {Error} */ (error).message).slice(0, 80) });
    }
  }
}

/**
 * Runs `actor.step()` until `stop()` says so, thinking between steps; an unexpected throw is recorded, not fatal.
 * @param {{ step: () => Promise<unknown>, think: () => Promise<unknown>, name: string }} actor
 * @param {() => boolean} stop
 * @param {(error: unknown) => void} onError
 */
export async function runActor(actor, stop, onError) {
  while (!stop()) {
    try {
      await actor.step();
    } catch (error) {
      onError(error);
    }
    await actor.think();
  }
}
