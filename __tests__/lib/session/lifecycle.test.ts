import { delay, http, HttpResponse } from "msw";
import type { JWT } from "next-auth/jwt";
import { continueSession, startSession, type LifecycleDeps } from "@/lib/session/lifecycle";
import { SessionEndedError } from "@/lib/session/sessionEnded";
import { storeKeys } from "@/lib/session/storeKeys";
import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { CLIENT_ID, ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

let config: LifecycleDeps;
const nowS = () => Math.floor(Date.now() / 1000);

/** An unsigned JWT with the given claims: the app reads claims of tokens it got from the token endpoint. */
const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

const accessToken = (roles: string[]) =>
  jwt({ realm_access: { roles }, resource_access: { [CLIENT_ID]: { roles: ["viewer"] }, other: { roles: ["x"] } } });

let store: KeyValueStore;
beforeEach(() => {
  store = createMemoryStore();
  config = { keycloak: testKeycloak(), store, refreshWaitMs: 500, sessionMaxAgeS: 3600 };
});
afterEach(() => store.close());

async function signedIn(expiresIn = 300): Promise<JWT> {
  return startSession(
    { sub: "user-1", name: "Alice", email: "alice@example.com" },
    {
      provider: "keycloak",
      id_token: jwt({ sid: "kc-session-1" }),
      access_token: accessToken(["user"]),
      refresh_token: "rt-1",
      expires_at: nowS() + expiresIn,
      refresh_expires_in: 1800,
    },
    config,
  );
}

const ended = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(SessionEndedError);

describe("startSession", () => {
  it("keeps the id_token, provider and refresh token in the cookie, and the access token only on the server", async () => {
    const token = await signedIn();
    expect(token).toMatchObject({ provider: "keycloak", refresh_token: "rt-1", sid: "kc-session-1" });
    expect(token.id_token).toBeDefined();
    expect(JSON.stringify(token)).not.toContain(accessToken(["user"]));
    expect(await store.get(storeKeys.tokens(token.sessionId!))).toContain(accessToken(["user"]));
  });

  it("reads realm roles and this client's roles, not other clients'", async () => {
    expect((await signedIn()).roles).toEqual({ realm: ["user"], client: ["viewer"] });
  });
});

describe("continueSession", () => {
  it("confirms a live session without calling Keycloak", async () => {
    const token = await signedIn();
    await expect(continueSession(token, config)).resolves.toMatchObject({ roles: { realm: ["user"], client: ["viewer"] } });
  });

  it("does not refresh a short-lived token that was just issued (the margin shrinks with the lifetime)", async () => {
    // No token handler: a refresh would be an unhandled request and fail the test.
    const token = await signedIn(4);
    await expect(continueSession(token, config)).resolves.toMatchObject({ error: undefined });
  });

  it("ends a session that was signed out (revoked app session)", async () => {
    const token = await signedIn();
    await store.set(storeKeys.revokedSession(token.sessionId!), "signed-out", 60_000);
    await ended(continueSession(token, config));
  });

  it("ends every session of a Keycloak session ended by back-channel logout (sid)", async () => {
    const token = await signedIn();
    await store.set(storeKeys.revokedSid("kc-session-1"), String(Date.now()), 60_000);
    await ended(continueSession(token, config));
  });

  it("ends a user's earlier sessions on a sub-only back-channel logout, not later ones", async () => {
    const earlier = await signedIn();
    await store.set(storeKeys.revokedSub("user-1"), String(Date.now()), 60_000);
    await ended(continueSession(earlier, config));
    const later = { ...(await signedIn()), signedInAt: nowS() + 5 };
    await expect(continueSession(later, config)).resolves.toBeDefined();
  });

  it("ends the session when Keycloak's refresh window (SSO idle or max) has closed", async () => {
    const token = { ...(await signedIn()), refresh_expires_at: nowS() - 1 };
    await ended(continueSession(token, config));
  });

  it("ends the session once session.maxAge has passed since sign-in, however active it was", async () => {
    const token = { ...(await signedIn()), signedInAt: nowS() - config.sessionMaxAgeS - 1 };
    await ended(continueSession(token, config));
  });

  it("refreshes an expired access token and carries the rotated refresh token into the cookie", async () => {
    const token = await signedIn(-1);
    server.use(
      http.post(ENDPOINTS.token, () =>
        HttpResponse.json({ access_token: accessToken(["user", "admin"]), expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 }),
      ),
    );
    const next = await continueSession(token, config);
    expect(next).toMatchObject({ refresh_token: "rt-2", roles: { realm: ["admin", "user"], client: ["viewer"] } });
    expect(next.error).toBeUndefined();
  });

  it("ends the session when Keycloak refuses the refresh (invalid_grant), on every instance", async () => {
    const token = await signedIn(-1);
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.json({ error: "invalid_grant", error_description: "Session not active" }, { status: 400 })));
    await ended(continueSession(token, config));
    expect(await store.get(storeKeys.revokedSession(token.sessionId!))).toBe("refresh-refused");
  });

  it("keeps the session but reports RefreshAccessTokenError when Keycloak is unreachable", async () => {
    const token = await signedIn(-1);
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.error()));
    const next = await continueSession(token, config);
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

    await expect(continueSession(token, config)).resolves.toMatchObject({ error: "RefreshAccessTokenError" });
    await refreshDone;
    await expect(continueSession(token, config)).resolves.toMatchObject({ refresh_token: "rt-2", error: undefined });
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
      await expect(continueSession(token, { ...config, store: down })).resolves.toMatchObject({ error: "SessionUnavailable" });
      expect(logs.lines()).toEqual([expect.stringMatching(/^\[auth\] ERROR SESSION_CHECK_UNAVAILABLE session=\w{8} behaviour=fail-closed$/)]);
    } finally {
      logs.restore();
    }
  });
});
