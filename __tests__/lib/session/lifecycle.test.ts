import { delay, http, HttpResponse } from "msw";
import type { JWT } from "next-auth/jwt";
import type { Clock } from "@/lib/clock";
import { createSessionLifecycle, type SessionLifecycle } from "@/lib/session/lifecycle";
import { createRevocation, type EndReason } from "@/lib/session/revocation";
import { decodeSessionToken, encodeSessionToken } from "@/lib/nextauth/mirror/jwt";
import { SessionEndedError } from "@/lib/session/sessionEnded";
import { storeKeys } from "@/lib/session/storeKeys";
import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { CLIENT_ID, ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";
import { TEST_SECRET } from "@/testing/testAuth";

setupMswServer();

const SESSION_MAX_AGE_S = 3600;
const nowS = () => Math.floor(Date.now() / 1000);

/** An unsigned JWT with the given claims: the app reads claims of tokens it got from the token endpoint. */
const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

const accessToken = (roles: string[]) =>
  jwt({ realm_access: { roles }, resource_access: { [CLIENT_ID]: { roles: ["viewer"] }, other: { roles: ["x"] } } });

/** One app instance's lifecycle over `store`, with its own revocation core. */
function lifecycleOver(store: KeyValueStore, clock: Clock = { nowMs: () => Date.now() }): SessionLifecycle {
  const revocation = createRevocation({ store, clock, sessionMaxAgeS: SESSION_MAX_AGE_S });
  return createSessionLifecycle({ keycloak: testKeycloak(), store, revocation, clock, refreshWaitMs: 500, sessionMaxAgeS: SESSION_MAX_AGE_S });
}

let store: KeyValueStore;
let lifecycle: SessionLifecycle;
beforeEach(() => {
  store = createMemoryStore();
  lifecycle = lifecycleOver(store);
});
afterEach(() => store.close());

async function signedIn(expiresIn = 300): Promise<JWT> {
  return lifecycle.start(
    { sub: "user-1", name: "Alice", email: "alice@example.com" },
    {
      provider: "keycloak",
      id_token: jwt({ sid: "kc-session-1" }),
      access_token: accessToken(["user"]),
      refresh_token: "rt-1",
      expires_at: nowS() + expiresIn,
      refresh_expires_in: 1800,
    },
  );
}

const ended = async (promise: Promise<unknown>, reason: EndReason) => {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(SessionEndedError);
  expect((error as SessionEndedError).reason).toBe(reason);
};

describe("start (sign-in)", () => {
  it("keeps the id_token, provider and refresh token in the cookie, and the access token only on the server", async () => {
    const token = await signedIn();
    expect(token).toMatchObject({ provider: "keycloak", refresh_token: "rt-1", sid: "kc-session-1" });
    expect(token.id_token).toBeDefined();
    // The jwt callback's answer carries it for this request only; the cookie written from it does not.
    expect(JSON.stringify(await decodeSessionToken(encodeSessionToken(token, TEST_SECRET), TEST_SECRET))).not.toContain(accessToken(["user"]));
    expect(await store.get(storeKeys.tokens(token.sessionId!))).toContain(accessToken(["user"]));
  });

  it("carries the store's generation and the sign-in time (epoch ms) in the cookie", async () => {
    const before = Date.now();
    const token = await signedIn();
    expect(token.generation).toBe(await store.get(storeKeys.generation));
    expect(token.generation).toEqual(expect.any(String));
    expect(token.signedInAtMs).toBeGreaterThanOrEqual(before);
    expect(token.signedInAtMs).toBeLessThanOrEqual(Date.now());
  });

  it("starts no session when the store cannot name its generation (it could not be checked later)", async () => {
    const down: KeyValueStore = { ...store, get: () => Promise.reject(storeUnavailable("Redis did not answer")), setIfAbsent: () => Promise.reject(storeUnavailable("Redis did not answer")) };
    lifecycle = lifecycleOver(down);
    await expect(signedIn()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });

  it("reads realm roles and this client's roles, not other clients'", async () => {
    expect((await signedIn()).roles).toEqual({ realm: ["user"], client: ["viewer"] });
  });
});

describe("continue (every session read)", () => {
  it("confirms a live session without calling Keycloak", async () => {
    const token = await signedIn();
    await expect(lifecycle.continue(token)).resolves.toMatchObject({ roles: { realm: ["user"], client: ["viewer"] } });
  });

  it("does not refresh a short-lived token that was just issued (the margin shrinks with the lifetime)", async () => {
    // No token handler: a refresh would be an unhandled request and fail the test.
    const token = await signedIn(4);
    await expect(lifecycle.continue(token)).resolves.toMatchObject({ error: undefined });
  });

  it("ends a session that was signed out (revoked app session)", async () => {
    const token = await signedIn();
    await store.set(storeKeys.revokedSession(token.sessionId!), "signed-out", 60_000);
    await ended(lifecycle.continue(token), "signed-out");
  });

  it("ends every session of a Keycloak session ended by back-channel logout (sid)", async () => {
    const token = await signedIn();
    await store.set(storeKeys.revokedSid("kc-session-1"), "keycloak-logout", 60_000);
    await ended(lifecycle.continue(token), "keycloak-logout");
  });

  it("ends a user's earlier sessions on a sub-only back-channel logout, not later ones", async () => {
    const earlier = await signedIn();
    await store.set(storeKeys.revokedSub("user-1"), `${Date.now()} keycloak-logout`, 60_000);
    await ended(lifecycle.continue(earlier), "keycloak-logout");
    const later = { ...(await signedIn()), signedInAtMs: Date.now() + 5000 };
    await expect(lifecycle.continue(later)).resolves.toMatchObject({ sessionId: later.sessionId, error: undefined });
  });

  it("ends the session when Keycloak's refresh window (SSO idle or max) has closed", async () => {
    const token = { ...(await signedIn()), refresh_expires_at: nowS() - 1 };
    const state = JSON.parse((await store.get(storeKeys.tokens(token.sessionId!)))!);
    await store.set(storeKeys.tokens(token.sessionId!), JSON.stringify({ ...state, refreshExpiresAt: nowS() - 1 }), 60_000);
    await ended(lifecycle.continue(token), "expired");
  });

  it("keeps a session whose cookie missed the refresh that moved Keycloak's idle end, and hands on the new end", async () => {
    const signed = await signedIn();
    const storedIdleEndS = JSON.parse((await store.get(storeKeys.tokens(signed.sessionId!)))!).refreshExpiresAt;
    const token = { ...signed, refresh_expires_at: nowS() - 1 };
    await expect(lifecycle.continue(token)).resolves.toMatchObject({ error: undefined, refresh_expires_at: storedIdleEndS });
  });

  it("ends the session once session.maxAge has passed since sign-in, however active it was", async () => {
    const token = { ...(await signedIn()), signedInAtMs: Date.now() - SESSION_MAX_AGE_S * 1000 - 1000 };
    await ended(lifecycle.continue(token), "expired");
  });

  it("keeps a session that is just short of session.maxAge since sign-in", async () => {
    const token = { ...(await signedIn()), signedInAtMs: Date.now() - SESSION_MAX_AGE_S * 1000 + 60_000 };
    await expect(lifecycle.continue(token)).resolves.toMatchObject({ error: undefined, roles: { realm: ["user"], client: ["viewer"] } });
  });

  it("ends the sessions issued before the store lost its data (another generation), and warns once", async () => {
    const token = await signedIn();
    const other = await signedIn();
    // FLUSHALL, a restart without persistence or an empty replica: the next instance writes a new generation.
    await store.set(storeKeys.generation, "after-the-loss", 60_000);
    const logs = captureLogs();
    try {
      await ended(lifecycle.continue(token), "store-reset");
      await ended(lifecycle.continue(other), "store-reset");
    } finally {
      logs.restore();
    }
    expect(logs.lines().filter((line) => / STORE_RESET /.test(line))).toHaveLength(1);
  });

  it("ends a session whose cookie carries no generation", async () => {
    const token = { ...(await signedIn()), generation: undefined };
    await ended(lifecycle.continue(token), "store-reset");
  });

  it("refreshes an expired access token and carries the rotated refresh token into the cookie", async () => {
    const token = await signedIn(-1);
    server.use(
      http.post(ENDPOINTS.token, () =>
        HttpResponse.json({ access_token: accessToken(["user", "admin"]), expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 }),
      ),
    );
    const next = await lifecycle.continue(token);
    expect(next).toMatchObject({ refresh_token: "rt-2", roles: { realm: ["admin", "user"], client: ["viewer"] } });
    expect(next.error).toBeUndefined();
  });

  it("ends the session when Keycloak refuses the refresh (invalid_grant), on every instance", async () => {
    const token = await signedIn(-1);
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.json({ error: "invalid_grant", error_description: "Session not active" }, { status: 400 })));
    await ended(lifecycle.continue(token), "refresh-refused");
    expect(await store.get(storeKeys.revokedSession(token.sessionId!))).toBe("refresh-refused");
  });

  it("keeps a sign-out's reason when the sign-out made Keycloak refuse a refresh already under way", async () => {
    const token = await signedIn(-1);
    const revocation = createRevocation({ store, clock: { nowMs: () => Date.now() }, sessionMaxAgeS: SESSION_MAX_AGE_S });
    server.use(
      http.post(ENDPOINTS.token, async () => {
        // Another tab signs out while this read's refresh is at Keycloak.
        await revocation.revoke({ sessionId: token.sessionId! }, "signed-out");
        return HttpResponse.json({ error: "invalid_grant", error_description: "Session not active" }, { status: 400 });
      }),
    );
    await ended(lifecycle.continue(token), "signed-out");
    expect(await store.get(storeKeys.revokedSession(token.sessionId!))).toBe("signed-out");
  });

  it("keeps the session but reports RefreshAccessTokenError when Keycloak is unreachable", async () => {
    const token = await signedIn(-1);
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.error()));
    const next = await lifecycle.continue(token);
    expect(next).toMatchObject({ error: "RefreshAccessTokenError", refresh_token: "rt-1" });
  });

  it("answers a request without waiting out a slow refresh, and the next request uses that refresh's result", async () => {
    const token = await signedIn(-1);
    let grants = 0;
    let finished!: () => void;
    const refreshDone = new Promise<void>((resolve) => (finished = resolve));
    server.use(
      http.post(ENDPOINTS.token, async () => {
        grants++;
        await delay(800);
        setTimeout(finished, 20);
        return HttpResponse.json({ access_token: accessToken(["user"]), expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 });
      }),
    );

    await expect(lifecycle.continue(token)).resolves.toMatchObject({ error: "RefreshAccessTokenError" });
    await refreshDone;
    await expect(lifecycle.continue(token)).resolves.toMatchObject({ refresh_token: "rt-2", error: undefined });
    expect(grants).toBe(1);
  });

  it("fails closed with SessionUnavailable when the shared store does not answer", async () => {
    const token = await signedIn();
    const down: KeyValueStore = {
      ...store,
      getMany: () => Promise.reject(storeUnavailable("Redis did not answer")),
    };
    const logs = captureLogs();
    try {
      await expect(lifecycleOver(down).continue(token)).resolves.toMatchObject({ error: "SessionUnavailable" });
      expect(logs.lines()).toEqual([expect.stringMatching(/^\[auth\] ERROR SESSION_CHECK_UNAVAILABLE session=\w{8} behaviour=fail-closed$/)]);
    } finally {
      logs.restore();
    }
  });
});

describe("continue with a cookie read before (the read path's frozen token)", () => {
  /** The read path hands back a cookie it decoded before as the same frozen object. */
  const frozenSignedIn = async (expiresIn = 300) => Object.freeze(await signedIn(expiresIn));

  it("answers a second read of the same cookie with the same frozen answer while nothing changed", async () => {
    const token = await frozenSignedIn();
    const first = await lifecycle.continue(token);
    const second = await lifecycle.continue(token);
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    expect(Object.isFrozen(second.roles!.realm)).toBe(true);
    expect(second).toMatchObject({ accessToken: expect.any(String), roles: { realm: ["user"], client: ["viewer"] } });
  });

  it("still ends the session when it is revoked after a remembered answer", async () => {
    const token = await frozenSignedIn();
    await lifecycle.continue(token);
    await store.set(storeKeys.revokedSession(token.sessionId!), "signed-out", 60_000);
    await ended(lifecycle.continue(token), "signed-out");
  });

  it("still ends the session when the store lost its data after a remembered answer", async () => {
    const token = await frozenSignedIn();
    await lifecycle.continue(token);
    await store.delete(storeKeys.generation);
    const logs = captureLogs();
    try {
      await ended(lifecycle.continue(token), "store-reset");
    } finally {
      logs.restore();
    }
  });

  it("answers from the store's new token state once another instance refreshed it", async () => {
    const token = await frozenSignedIn();
    const first = await lifecycle.continue(token);
    const state = JSON.parse((await store.get(storeKeys.tokens(token.sessionId!)))!);
    await store.set(storeKeys.tokens(token.sessionId!), JSON.stringify({ ...state, accessToken: "at-2", roles: { realm: ["admin"], client: [] } }), 60_000);
    const second = await lifecycle.continue(token);
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ accessToken: "at-2", roles: { realm: ["admin"], client: [] } });
  });

  it("refreshes once the remembered access token is due, rather than answering with it", async () => {
    const token = await frozenSignedIn(60);
    await lifecycle.continue(token);
    let grants = 0;
    server.use(
      http.post(ENDPOINTS.token, () => {
        grants++;
        return HttpResponse.json({ access_token: accessToken(["user"]), expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 });
      }),
    );
    // 55 s later, for the lifecycle and the refresh coordinator alike: within the 10 s margin of the 60 s token.
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, "now").mockImplementation(() => realNow() + 55_000);
    try {
      await expect(lifecycle.continue(token)).resolves.toMatchObject({ refresh_token: "rt-2", error: undefined });
    } finally {
      later.mockRestore();
    }
    expect(grants).toBe(1);
  });

  it("remembers nothing for a token that is not frozen (next-auth's own routes hand over their own copies)", async () => {
    const token = await signedIn();
    const first = await lifecycle.continue(token);
    expect(await lifecycle.continue(token)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(false);
  });
});
