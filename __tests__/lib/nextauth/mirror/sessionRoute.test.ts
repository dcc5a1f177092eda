import { http, HttpResponse } from "msw";
import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { encode, type JWT } from "next-auth/jwt";
import { decodeSessionToken } from "@/lib/nextauth/mirror/jwt";
import { SESSION_MAX_AGE_S } from "@/lib/session/sessionPolicy";
import { storeKeys } from "@/lib/session/storeKeys";
import { saveTokenState } from "@/lib/session/tokenState";
import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { CLIENT_ID, ENDPOINTS } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";
import { createTestAuth, TEST_SECRET } from "@/testing/testAuth";
import { createSessionRoute } from "@/pages/api/auth/session";

const SECRET = TEST_SECRET;
/** The store generation every seeded store holds and every test cookie was issued in. */
const GENERATION = "generation-1";
const SIGNED_IN_AT_MS = Date.now() - 60_000;
// next-auth's own route reads NEXTAUTH_URL itself (and warns without it); the app reads it through its env.
process.env.NEXTAUTH_URL = "http://localhost:3000";

setupMswServer();

const COOKIE = "next-auth.session-token";
const nowS = () => Math.floor(Date.now() / 1000);
/**
 * The second the test cookies' and the seeded store's token times count from: computed once, so a cookie and the
 * state seeded for it never differ by a second boundary crossed in between (the read path would rewrite the cookie).
 */
const T0_S = nowS();

/** An unsigned JWT with the given claims: the app reads claims of tokens it got from the token endpoint. */
const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

const accessToken = (realmRoles: string[]) =>
  jwt({ realm_access: { roles: realmRoles }, resource_access: { [CLIENT_ID]: { roles: ["viewer"] } } });

/** The cookie payload of a signed-in session, as startSession writes it. */
function sessionToken(overrides: Partial<JWT> = {}): JWT {
  return {
    sub: "user-1",
    name: "Alice",
    email: "alice@example.com",
    provider: "keycloak",
    id_token: jwt({ sid: "kc-sid-1" }),
    refresh_token: "rt-1",
    expires_at: T0_S + 300,
    refresh_expires_at: T0_S + 1800,
    sessionId: "session-1",
    sid: "kc-sid-1",
    generation: GENERATION,
    signedInAtMs: SIGNED_IN_AT_MS,
    ...overrides,
  };
}

/** What the server keeps for that session; `accessExpiresInS` below the margin makes it due for refresh. */
async function seedTokens(
  store: KeyValueStore,
  accessExpiresInS = 300,
  expiresAt = T0_S + accessExpiresInS,
  refreshExpiresAt = T0_S + 1800,
): Promise<void> {
  await store.set(storeKeys.generation, GENERATION, 600_000);
  await saveTokenState(
    store,
    "session-1",
    {
      accessToken: accessToken(["user"]),
      expiresAt,
      lifetimeS: 300,
      refreshToken: "rt-1",
      refreshExpiresAt,
      roles: { realm: ["user"], client: ["viewer"] },
    },
    60_000,
  );
}

/** The store as the app sees it when Redis does not answer. */
function unreachable(store: KeyValueStore): KeyValueStore {
  const fail = () => Promise.reject(storeUnavailable("Redis did not answer"));
  return { ...store, get: fail, getMany: fail, set: fail, setIfAbsent: fail };
}

/** Cookie chunks as a browser sends them: one `name=value` or `name.0`, `name.1`... for a long value. */
function cookieHeader(value: string): string {
  if (value.length <= 3933) return `${COOKIE}=${value}`;
  const chunks = value.match(/.{1,3933}/g) ?? [];
  return chunks.map((chunk, i) => `${COOKIE}.${i}=${chunk}`).join("; ");
}

interface Answer {
  status: number;
  /** The body as Next.js serialises it (JSON.stringify), so equal strings are equal bytes. */
  json: string;
  headers: Record<string, string>;
  /** Set-Cookie lines for the session cookie only (next-auth's init also sets CSRF and callback-URL cookies). */
  sessionCookies: string[];
  logs: string[];
  refreshGrants: number;
}

interface Scenario {
  /** The Cookie header the browser sends. */
  cookie: string;
  /** What the store holds before the request. */
  seed?: (store: KeyValueStore) => Promise<void>;
  storeDown?: boolean;
  /** The token endpoint's answer to a refresh_token grant, if the scenario refreshes. */
  tokenEndpoint?: () => Response;
}

/** One GET /api/auth/session, answered by next-auth's own route or by the read path, in a world of its own. */
async function answer(by: "next-auth" | "read path", scenario: Scenario): Promise<Answer> {
  const store = createMemoryStore();
  await scenario.seed?.(store);
  const auth = createTestAuth({ store: scenario.storeDown ? unreachable(store) : store });
  let refreshGrants = 0;
  server.use(
    http.post(ENDPOINTS.token, () => {
      refreshGrants += 1;
      return scenario.tokenEndpoint ? scenario.tokenEndpoint() : HttpResponse.json({ error: "unexpected" }, { status: 500 });
    }),
  );

  const cookies = Object.fromEntries(
    scenario.cookie
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  const req = {
    method: "GET",
    url: "/api/auth/session",
    query: { nextauth: ["session"] },
    headers: { host: "localhost:3000", ...(scenario.cookie ? { cookie: scenario.cookie } : {}) },
    cookies,
  } as unknown as NextApiRequest;
  const headers: Record<string, string | string[]> = {};
  let body: unknown;
  const res = {
    statusCode: 200,
    getHeader: (name: string) => headers[name.toLowerCase()],
    setHeader(name: string, value: string | string[]) {
      headers[name.toLowerCase()] = value;
      return res;
    },
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    // As Next's res.send (sendData): an object goes out as JSON with its charset, a string as it is.
    send(value: unknown) {
      if (typeof value === "string") {
        body = JSON.parse(value);
        return;
      }
      headers["content-type"] = "application/json; charset=utf-8";
      body = value;
    },
    end(value: string) {
      body = JSON.parse(value);
    },
  };

  const logs = captureLogs();
  try {
    if (by === "next-auth") await NextAuth(req, res as unknown as NextApiResponse, auth.nextAuthOptions({ req, res: res as never }));
    else await createSessionRoute(() => auth)(req, res as unknown as NextApiResponse);
  } finally {
    logs.restore();
    await store.close();
  }
  const setCookie = [headers["set-cookie"] ?? []].flat();
  const { "set-cookie": _setCookie, ...rest } = headers;
  return {
    status: res.statusCode,
    json: JSON.stringify(body),
    headers: rest as Record<string, string>,
    sessionCookies: setCookie.filter((line) => line.startsWith(COOKIE)),
    logs: logs.lines(),
    refreshGrants,
  };
}

/** Both answers for the same cookie and the same store contents. */
async function bothAnswers(scenario: Scenario): Promise<{ library: Answer; readPath: Answer }> {
  return { library: await answer("next-auth", scenario), readPath: await answer("read path", scenario) };
}

function expectSameAnswer({ library, readPath }: { library: Answer; readPath: Answer }): void {
  expect(readPath.status).toBe(library.status);
  expect(readPath.json).toBe(library.json);
  expect(readPath.headers).toEqual(library.headers);
  // The same lines; only the stack differs (the call goes through next-auth's route on one side).
  const withoutStack = (lines: string[]) => lines.map((line) => line.replace(/ stack="[^"]*"/, ""));
  expect(withoutStack(readPath.logs)).toEqual(withoutStack(library.logs));
}

/** The session cookie's value from Set-Cookie lines (chunks joined), and its Expires attribute. */
function writtenCookie(lines: string[]): { value: string; expires: string | undefined; names: string[] } {
  const written = lines.filter((line) => !line.includes("Max-Age=0"));
  const value = written.map((line) => line.slice(line.indexOf("=") + 1, line.indexOf(";"))).join("");
  return { value, expires: /Expires=([^;]+)/.exec(written[0] ?? "")?.[1], names: written.map((line) => line.split("=")[0]) };
}

/** Cookie contents without the claims every encode renews. */
async function contents(value: string): Promise<JWT> {
  const { iat: _iat, exp: _exp, jti: _jti, ...rest } = await decodeSessionToken(value, SECRET);
  return rest;
}

const validCookie = async (overrides: Partial<JWT> = {}, secret = SECRET, maxAge = SESSION_MAX_AGE_S) =>
  cookieHeader(await encode({ token: sessionToken(overrides), secret, maxAge }));

const refreshed = () =>
  HttpResponse.json({ access_token: accessToken(["user", "admin"]), expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 });

describe("GET /api/auth/session: the read path answers as next-auth's own route", () => {
  it("answers a valid session with the same JSON, and sets no cookie", async () => {
    // One expiry for cookie and store: computed twice, a second boundary between them would make the read rewrite it.
    const expiresAt = nowS() + 300;
    const answers = await bothAnswers({ cookie: await validCookie({ expires_at: expiresAt }), seed: (store) => seedTokens(store, 300, expiresAt) });
    expectSameAnswer(answers);
    expect(JSON.parse(answers.readPath.json)).toEqual({
      expires: new Date(sessionToken().signedInAtMs! + SESSION_MAX_AGE_S * 1000).toISOString(),
      user: { name: "Alice", email: "alice@example.com", image: null, realmRoles: ["user"], clientRoles: ["viewer"], authTime: null },
    });
    expect(answers.library.sessionCookies).toHaveLength(1);
    expect(answers.readPath.sessionCookies).toEqual([]);
    expect(answers.readPath.refreshGrants).toBe(0);
  });

  it("answers a visitor without a cookie with {} and sets no cookie", async () => {
    const answers = await bothAnswers({ cookie: "" });
    expectSameAnswer(answers);
    expect(answers.readPath.json).toBe("{}");
    expect(answers.readPath.sessionCookies).toEqual([]);
  });

  it("refreshes a session due for refresh once, and writes the same cookie contents, expiring at the session's end", async () => {
    const answers = await bothAnswers({
      cookie: await validCookie(),
      seed: (store) => seedTokens(store, -1),
      tokenEndpoint: refreshed,
    });
    expectSameAnswer(answers);
    expect(JSON.parse(answers.readPath.json).user.realmRoles).toEqual(["admin", "user"]);
    expect(answers.library.refreshGrants).toBe(1);
    expect(answers.readPath.refreshGrants).toBe(1);

    const library = writtenCookie(answers.library.sessionCookies);
    const readPath = writtenCookie(answers.readPath.sessionCookies);
    expect(await contents(readPath.value)).toEqual(await contents(library.value));
    expect(await contents(readPath.value)).toMatchObject({ refresh_token: "rt-2" });
    expect(readPath.names).toEqual(library.names);
    expect(readPath.expires).toBe(new Date(sessionToken().signedInAtMs! + SESSION_MAX_AGE_S * 1000).toUTCString());
    expect(answers.readPath.sessionCookies[0]).toMatch(/; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    // The claim that decides the next read: the session's end, as next-auth's own route writes it.
    const endS = Math.floor((sessionToken().signedInAtMs! + SESSION_MAX_AGE_S * 1000) / 1000);
    expect((await decodeSessionToken(readPath.value, SECRET)).exp).toBe(endS);
    expect((await decodeSessionToken(library.value, SECRET)).exp).toBe(endS);
  });

  it("keeps a session refreshed late in its life signed in at the next read (the rewritten cookie ends with the session)", async () => {
    const store = createMemoryStore();
    await seedTokens(store, -1);
    server.use(http.post(ENDPOINTS.token, refreshed));
    const auth = createTestAuth({ store });
    // Six of the session's ten hours are over.
    let cookie = await validCookie({ signedInAtMs: Date.now() - 6 * 60 * 60 * 1000 });
    for (let read = 0; read < 2; read++) {
      const written: string[] = [];
      const res = { getHeader: () => undefined, setHeader: (_name: string, value: string[]) => written.push(...value) };
      expect(await auth.sessions.read({ headers: { cookie } }, res as never)).toMatchObject({ status: "signed-in" });
      if (read === 0) {
        expect(written).toHaveLength(1);
        cookie = `${COOKIE}=${writtenCookie(written).value}`;
      }
    }
    await store.close();
  });

  it("writes the newer refresh token another instance stored, without a refresh of its own", async () => {
    const answers = await bothAnswers({
      cookie: await validCookie(),
      seed: async (store) => {
        await seedTokens(store);
        const state = JSON.parse((await store.get(storeKeys.tokens("session-1")))!);
        await store.set(storeKeys.tokens("session-1"), JSON.stringify({ ...state, refreshToken: "rt-from-b" }), 60_000);
      },
    });
    expectSameAnswer(answers);
    expect(answers.readPath.refreshGrants).toBe(0);
    expect(await contents(writtenCookie(answers.readPath.sessionCookies).value)).toEqual(await contents(writtenCookie(answers.library.sessionCookies).value));
    expect(await contents(writtenCookie(answers.readPath.sessionCookies).value)).toMatchObject({ refresh_token: "rt-from-b" });
  });

  it.each([
    ["signed out (app session revoked)", (store: KeyValueStore) => store.set(storeKeys.revokedSession("session-1"), "signed-out", 60_000)],
    ["ended by back-channel logout (Keycloak sid)", (store: KeyValueStore) => store.set(storeKeys.revokedSid("kc-sid-1"), "keycloak-logout", 60_000)],
    ["ended by a user-wide back-channel logout (sub)", (store: KeyValueStore) => store.set(storeKeys.revokedSub("user-1"), `${Date.now()} keycloak-logout`, 60_000)],
    ["issued before the store lost its data (another generation)", (store: KeyValueStore) => store.set(storeKeys.generation, "generation-2", 60_000)],
  ])("ends a session %s: {} and the cookie cleared, as next-auth clears it", async (_state, revoke) => {
    const answers = await bothAnswers({
      cookie: await validCookie(),
      seed: async (store) => {
        await seedTokens(store);
        await revoke(store);
      },
    });
    expectSameAnswer(answers);
    expect(answers.readPath.json).toBe("{}");
    expect(answers.readPath.sessionCookies).toEqual(answers.library.sessionCookies);
    expect(answers.readPath.sessionCookies).toEqual([`${COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`]);
  });

  it.each([
    ["expired itself", () => validCookie({}, SECRET, -60), undefined],
    // The server's tokens went with it: no refresh moved the window since.
    ["outlived Keycloak's refresh window", () => validCookie({ refresh_expires_at: nowS() - 1 }), nowS() - 1],
    ["outlived session.maxAge since sign-in", () => validCookie({ signedInAtMs: Date.now() - SESSION_MAX_AGE_S * 1000 - 1000 }), undefined],
    ["was tampered with", async () => (await validCookie()).replace(/\.(.)([^.]{20})/, (_m, c: string, rest: string) => `.${c === "A" ? "B" : "A"}${rest}`), undefined],
    ["was encrypted with a foreign secret", () => validCookie({}, "a-foreign-secret-that-is-long-enough-0123"), undefined],
    ["is not a JWE at all", async () => `${COOKIE}=not-a-jwe`, undefined],
  ])("treats a cookie that %s as a signed-out visitor, as next-auth does", async (_state, cookie, storedIdleEndS: number | undefined) => {
    const answers = await bothAnswers({ cookie: await cookie(), seed: (store) => seedTokens(store, 300, T0_S + 300, storedIdleEndS) });
    expectSameAnswer(answers);
    expect(answers.readPath.json).toBe("{}");
    expect(answers.readPath.sessionCookies).toEqual(answers.library.sessionCookies);
    expect(answers.readPath.refreshGrants).toBe(0);
  });

  it("ends the session on every instance when Keycloak refuses the refresh (invalid_grant)", async () => {
    const answers = await bothAnswers({
      cookie: await validCookie(),
      seed: (store) => seedTokens(store, -1),
      tokenEndpoint: () => HttpResponse.json({ error: "invalid_grant" }, { status: 400 }),
    });
    expectSameAnswer(answers);
    expect(answers.readPath.json).toBe("{}");
    expect(answers.readPath.sessionCookies).toEqual(answers.library.sessionCookies);
  });

  it("keeps the cookie and reports RefreshAccessTokenError when Keycloak cannot refresh now", async () => {
    const answers = await bothAnswers({
      cookie: await validCookie(),
      seed: (store) => seedTokens(store, -1),
      tokenEndpoint: () => HttpResponse.json({ error: "server_error" }, { status: 503 }),
    });
    expectSameAnswer(answers);
    expect(JSON.parse(answers.readPath.json)).toEqual({ expires: expect.any(String), error: "RefreshAccessTokenError" });
    expect(answers.readPath.sessionCookies).toEqual([]);
  });

  it("fails closed when the store is down (SessionUnavailable, no user) and keeps the cookie", async () => {
    const answers = await bothAnswers({ cookie: await validCookie(), seed: (store) => seedTokens(store), storeDown: true });
    expectSameAnswer(answers);
    expect(JSON.parse(answers.readPath.json)).toEqual({ expires: expect.any(String), error: "SessionUnavailable" });
    expect(answers.readPath.sessionCookies).toEqual([]);
    expect(await contents(writtenCookie(answers.library.sessionCookies).value)).toEqual(await contents(decodeURIComponent((await validCookie()).split("=")[1])));
  });

  it("reads a chunked cookie (over 4 KB) and re-chunks it on refresh with next-auth's chunk names", async () => {
    const bigIdToken = jwt({ sid: "kc-sid-1", padding: "x".repeat(4000) });
    const cookie = await validCookie({ id_token: bigIdToken });
    expect(cookie).toContain(`${COOKIE}.1=`);
    const valid = await bothAnswers({ cookie, seed: (store) => seedTokens(store) });
    expectSameAnswer(valid);
    expect(valid.readPath.sessionCookies).toEqual([]);

    const due = await bothAnswers({ cookie, seed: (store) => seedTokens(store, -1), tokenEndpoint: refreshed });
    expectSameAnswer(due);
    expect(writtenCookie(due.readPath.sessionCookies).names).toEqual([`${COOKIE}.0`, `${COOKIE}.1`]);
    expect(writtenCookie(due.readPath.sessionCookies).names).toEqual(writtenCookie(due.library.sessionCookies).names);
  });

  it("never answers a token", async () => {
    const { readPath } = await bothAnswers({ cookie: await validCookie(), seed: (store) => seedTokens(store) });
    expect(readPath.json).not.toMatch(/eyJ|rt-1|token/);
  });
});

describe("readSession (page guards, getServerSideProps)", () => {
  it("finds the session cookie among others in the raw header", async () => {
    const store = createMemoryStore();
    await seedTokens(store);
    const auth = createTestAuth({ store });
    const cookie = await validCookie();
    const setCookie: string[] = [];
    const res = { getHeader: () => undefined, setHeader: (_name: string, value: string[]) => setCookie.push(...value) };
    const read = await auth.sessions.read({ headers: { cookie: `other=1; ${cookie}` } } as never, res as never);
    expect(read).toMatchObject({ status: "signed-in", user: { email: "alice@example.com", realmRoles: ["user"] }, sessionId: "session-1" });
    expect(setCookie).toEqual([]);
    await store.close();
  });

  it("gives pages, the session JSON and a live stream the same end: sign-in plus the session's maximum age", async () => {
    const store = createMemoryStore();
    await seedTokens(store);
    const auth = createTestAuth({ store });
    const res = { getHeader: () => undefined, setHeader: () => undefined };
    const read = await auth.sessions.read({ headers: { cookie: await validCookie() } } as never, res as never);
    if (read.status !== "signed-in") throw new Error(`expected signed-in, got ${read.status}`);
    const endMs = SIGNED_IN_AT_MS + SESSION_MAX_AGE_S * 1000;
    expect(read.session.expires).toBe(new Date(endMs).toISOString());
    expect(read.watched.absoluteEndMs).toBe(endMs);
    await store.close();
  });
});

describe("the same cookie read again (decoded cookies are remembered)", () => {
  const res = () => ({ written: [] as string[], getHeader: () => undefined, setHeader(_name: string, value: string[]) { this.written.push(...value); } });
  /** A read path over a seeded store, and the cookie of its signed-in session. */
  const signedInReader = async () => {
    const store = createMemoryStore();
    await seedTokens(store);
    return { store, auth: createTestAuth({ store }), cookie: await validCookie() };
  };

  it("still ends the session at its next read once it is revoked", async () => {
    const { store, auth, cookie } = await signedInReader();
    expect(await auth.sessions.read({ headers: { cookie } }, res() as never)).toMatchObject({ user: { email: "alice@example.com" } });
    await store.set(storeKeys.revokedSession("session-1"), "signed-out", 60_000);
    const after = res();
    expect(await auth.sessions.read({ headers: { cookie } }, after as never)).toEqual({ status: "signed-out", reason: "signed-out" });
    expect(after.written).toEqual([`${COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`]);
    await store.close();
  });

  it("answers the same JSON again, with roles another instance stored since, and hands pages a session they cannot change", async () => {
    const { store, auth, cookie } = await signedInReader();
    const first = await auth.sessions.read({ headers: { cookie } }, res() as never);
    const again = await auth.sessions.read({ headers: { cookie } }, res() as never);
    if (first.status !== "signed-in" || again.status !== "signed-in") throw new Error(`not signed in: ${first.status}, ${again.status}`);
    expect(JSON.stringify(again.session)).toBe(JSON.stringify(first.session));
    expect(Object.isFrozen(again.session) && Object.isFrozen(again.user) && Object.isFrozen(again.user.realmRoles)).toBe(true);

    const state = JSON.parse((await store.get(storeKeys.tokens("session-1")))!);
    await store.set(storeKeys.tokens("session-1"), JSON.stringify({ ...state, roles: { realm: ["admin", "user"], client: ["viewer"] } }), 60_000);
    const afterRefresh = await auth.sessions.read({ headers: { cookie } }, res() as never);
    expect(afterRefresh).toMatchObject({ status: "signed-in", user: { realmRoles: ["admin", "user"] } });
    await store.close();
  });

  it("decrypts a cookie that ends like a remembered one but differs before it (the cache key is only the tag)", async () => {
    const { store, auth, cookie } = await signedInReader();
    expect(await auth.sessions.read({ headers: { cookie } }, res() as never)).toMatchObject({ status: "signed-in" });
    // One ciphertext character changed, the GCM tag (the JWE's last part) kept.
    const parts = cookie.slice(COOKIE.length + 1).split(".");
    parts[3] = `${parts[3][0] === "A" ? "B" : "A"}${parts[3].slice(1)}`;
    const logs = captureLogs();
    try {
      const forged = await auth.sessions.read({ headers: { cookie: `${COOKIE}=${parts.join(".")}` } }, res() as never);
      expect(forged).toEqual({ status: "signed-out", reason: "invalid-cookie" });
    } finally {
      logs.restore();
    }
    expect(await auth.sessions.read({ headers: { cookie } }, res() as never)).toMatchObject({ status: "signed-in" });
    await store.close();
  });

  /** Whether a read was answered from a remembered cookie: only those hand pages a frozen session. */
  const rememberedRead = async (auth: ReturnType<typeof createTestAuth>, cookie: string) => {
    const read = await auth.sessions.read({ headers: { cookie } }, res() as never);
    if (read.status !== "signed-in") throw new Error(`expected signed-in, got ${read.status}`);
    return Object.isFrozen(read.session);
  };

  it("keeps as many decoded cookies as configured, and lets go of the least recently read first", async () => {
    const store = createMemoryStore();
    await seedTokens(store);
    const auth = createTestAuth({ store, env: { SESSION_COOKIE_CACHE_ENTRIES: "2" } });
    const [a, b, c] = await Promise.all([validCookie(), validCookie(), validCookie()]);
    expect([await rememberedRead(auth, a), await rememberedRead(auth, b), await rememberedRead(auth, a)]).toEqual([false, false, true]);
    // c takes b's place: a was read more recently.
    expect([await rememberedRead(auth, c), await rememberedRead(auth, a), await rememberedRead(auth, b)]).toEqual([false, true, false]);
    await store.close();
  });

  it("decrypts every read when the cache is off (SESSION_COOKIE_CACHE_ENTRIES=0)", async () => {
    const store = createMemoryStore();
    await seedTokens(store);
    const auth = createTestAuth({ store, env: { SESSION_COOKIE_CACHE_ENTRIES: "0" } });
    const cookie = await validCookie();
    expect([await rememberedRead(auth, cookie), await rememberedRead(auth, cookie), await rememberedRead(auth, cookie)]).toEqual([false, false, false]);
    await store.close();
  });

  it("still refuses it once the cookie itself has expired", async () => {
    const store = createMemoryStore();
    await seedTokens(store);
    const auth = createTestAuth({ store });
    const cookie = await validCookie({}, SECRET, 30);
    expect(await auth.sessions.read({ headers: { cookie } }, res() as never)).toMatchObject({ status: "signed-in" });
    jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask", "setImmediate", "setInterval", "setTimeout"], now: Date.now() + 46_000 });
    try {
      const logs = captureLogs();
      const after = res();
      expect(await auth.sessions.read({ headers: { cookie } }, after as never)).toEqual({ status: "signed-out", reason: "invalid-cookie" });
      logs.restore();
      expect(after.written).toHaveLength(1);
    } finally {
      jest.useRealTimers();
      await store.close();
    }
  });
});

describe("refresh with short-lived access tokens (issue 9, item 3)", () => {
  // Only Date is faked: msw, axios and the refresh wait keep their real timers.
  beforeEach(() =>
    jest.useFakeTimers({
      doNotFake: ["hrtime", "nextTick", "performance", "queueMicrotask", "setImmediate", "clearImmediate", "setInterval", "clearInterval", "setTimeout", "clearTimeout"],
    }),
  );
  afterEach(() => jest.useRealTimers());

  it.each([2, 3, 8])("refreshes once per expiry with a %i s lifespan, not once per request (bursts of 20 and 200)", async (lifespanS) => {
    const store = createMemoryStore();
    await store.set(storeKeys.generation, GENERATION, 600_000);
    await saveTokenState(
      store,
      "session-1",
      { accessToken: accessToken(["user"]), expiresAt: nowS() + lifespanS, lifetimeS: lifespanS, refreshToken: "rt-1", refreshExpiresAt: nowS() + 1800, roles: { realm: ["user"], client: [] } },
      600_000,
    );
    const auth = createTestAuth({ store });
    let grants = 0;
    server.use(
      http.post(ENDPOINTS.token, () => {
        grants += 1;
        return HttpResponse.json({ access_token: accessToken(["user"]), expires_in: lifespanS, refresh_token: "rt-1", refresh_expires_in: 1800 });
      }),
    );
    let cookie = await validCookie({ expires_at: nowS() + lifespanS });
    const res = () => ({ written: [] as string[], getHeader: () => undefined, setHeader(_n: string, v: string[]) { this.written.push(...v); } });

    const start = Date.now();
    const simulatedS = 4 * lifespanS;
    let requests = 0;
    let refreshedLastStep = false;
    for (let step = 0; step * 250 <= simulatedS * 1000; step += 1) {
      const grantsBefore = grants;
      jest.setSystemTime(start + step * 250);
      const size = step % 2 === 0 ? 20 : 200;
      const responses = Array.from({ length: size }, res);
      const sessions = await Promise.all(responses.map((r) => auth.sessions.read({ headers: { cookie } } as never, r as never)));
      requests += size;
      expect(sessions.every((session) => session.status === "signed-in")).toBe(true);
      // The browser keeps the newest cookie it was sent.
      const written = responses.find((r) => r.written.length)?.written;
      if (written) cookie = written.map((line) => line.slice(0, line.indexOf(";"))).join("; ");
      // One refresh per burst at most, and a token just refreshed is never already due 250 ms later.
      const refreshedNow = grants - grantsBefore;
      expect(refreshedNow).toBeLessThanOrEqual(1);
      expect(refreshedLastStep && refreshedNow > 0).toBe(false);
      refreshedLastStep = refreshedNow > 0;
    }
    // expires_at is whole seconds, so an expiry comes every (lifespan - 1 s) to lifespan; the margin (at most 25%) only
    // moves each refresh earlier, it never adds one.
    const expiries = simulatedS / lifespanS;
    expect(grants).toBeGreaterThanOrEqual(Math.floor(expiries));
    expect(grants).toBeLessThanOrEqual(Math.ceil(simulatedS / (lifespanS * 0.75 - 1)) + 1);
    expect(grants).toBeLessThan(requests / 100);
    await store.close();
  });
});
