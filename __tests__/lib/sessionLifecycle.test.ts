import { delay, http, HttpResponse } from "msw";
import type { JWT } from "next-auth/jwt";
import { sessionKeys } from "@/lib/sessionKeys";
import { SessionEndedError } from "@/lib/sessionEnded";
import { continueSession, startSession, type LifecycleConfig } from "@/lib/sessionLifecycle";
import { createMemoryStore } from "@/lib/sessionStore/memoryStore";
import { StoreUnavailableError, type SessionStore } from "@/lib/sessionStore/sessionStore";
import { CLIENT_ID, CLIENT_SECRET, ENDPOINTS, ISSUER } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const config: LifecycleConfig = {
  issuer: ISSUER,
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  refreshWaitMs: 500,
  sessionMaxAgeS: 3600,
};
const nowS = () => Math.floor(Date.now() / 1000);

/** An unsigned JWT with the given claims: the app reads claims of tokens it got from the token endpoint. */
const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

const accessToken = (roles: string[]) =>
  jwt({ realm_access: { roles }, resource_access: { [CLIENT_ID]: { roles: ["viewer"] }, other: { roles: ["x"] } } });

let store: SessionStore;
beforeEach(() => {
  store = createMemoryStore();
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
    store,
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
    expect(await store.get(sessionKeys.tokens(token.sessionId!))).toContain(accessToken(["user"]));
  });

  it("reads realm roles and this client's roles, not other clients'", async () => {
    expect((await signedIn()).roles).toEqual(["user", "viewer"]);
  });
});

describe("continueSession", () => {
  it("confirms a live session without calling Keycloak", async () => {
    const token = await signedIn();
    await expect(continueSession(token, store, config)).resolves.toMatchObject({ roles: ["user", "viewer"] });
  });

  it("ends a session that was signed out (revoked app session)", async () => {
    const token = await signedIn();
    await store.set(sessionKeys.revokedSession(token.sessionId!), "signed-out", 60_000);
    await ended(continueSession(token, store, config));
  });

  it("ends every session of a Keycloak session ended by back-channel logout (sid)", async () => {
    const token = await signedIn();
    await store.set(sessionKeys.revokedSid("kc-session-1"), String(Date.now()), 60_000);
    await ended(continueSession(token, store, config));
  });

  it("ends a user's earlier sessions on a sub-only back-channel logout, not later ones", async () => {
    const earlier = await signedIn();
    await store.set(sessionKeys.revokedSub("user-1"), String(Date.now()), 60_000);
    await ended(continueSession(earlier, store, config));
    const later = { ...(await signedIn()), signedInAt: nowS() + 5 };
    await expect(continueSession(later, store, config)).resolves.toBeDefined();
  });

  it("ends the session when Keycloak's refresh window (SSO idle or max) has closed", async () => {
    const token = { ...(await signedIn()), refresh_expires_at: nowS() - 1 };
    await ended(continueSession(token, store, config));
  });

  it("ends the session once session.maxAge has passed since sign-in, however active it was", async () => {
    const token = { ...(await signedIn()), signedInAt: nowS() - config.sessionMaxAgeS - 1 };
    await ended(continueSession(token, store, config));
  });

  it("refreshes an expired access token and carries the rotated refresh token into the cookie", async () => {
    const token = await signedIn(5);
    server.use(
      http.post(ENDPOINTS.token, () =>
        HttpResponse.json({ access_token: accessToken(["user", "admin"]), expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 }),
      ),
    );
    const next = await continueSession(token, store, config);
    expect(next).toMatchObject({ refresh_token: "rt-2", roles: ["admin", "user", "viewer"] });
    expect(next.error).toBeUndefined();
  });

  it("ends the session when Keycloak refuses the refresh (invalid_grant), on every instance", async () => {
    const token = await signedIn(5);
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.json({ error: "invalid_grant", error_description: "Session not active" }, { status: 400 })));
    await ended(continueSession(token, store, config));
    expect(await store.get(sessionKeys.revokedSession(token.sessionId!))).toBe("refresh-refused");
  });

  it("keeps the session but reports RefreshAccessTokenError when Keycloak is unreachable", async () => {
    const token = await signedIn(5);
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.error()));
    const next = await continueSession(token, store, config);
    expect(next).toMatchObject({ error: "RefreshAccessTokenError", refresh_token: "rt-1" });
  });

  it("answers a request without waiting out a slow refresh, and the next request uses that refresh's result", async () => {
    const token = await signedIn(5);
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

    await expect(continueSession(token, store, config)).resolves.toMatchObject({ error: "RefreshAccessTokenError" });
    await refreshDone;
    await expect(continueSession(token, store, config)).resolves.toMatchObject({ refresh_token: "rt-2", error: undefined });
    expect(grants).toBe(1);
  });

  it("fails closed with SessionUnavailable when the shared store does not answer", async () => {
    const token = await signedIn();
    const down: SessionStore = {
      ...store,
      getMany: () => Promise.reject(new StoreUnavailableError("Redis did not answer")),
    };
    const logs = captureLogs();
    try {
      await expect(continueSession(token, down, config)).resolves.toMatchObject({ error: "SessionUnavailable" });
      expect(logs.lines()).toEqual([expect.stringMatching(/^\[auth\] ERROR SESSION_CHECK_UNAVAILABLE session=\w{8} behaviour=fail-closed$/)]);
    } finally {
      logs.restore();
    }
  });
});
