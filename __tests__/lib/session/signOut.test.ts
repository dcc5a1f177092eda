import { recordingResponse } from "@/testing/recordingResponse";
import type { IncomingMessage, ServerResponse } from "node:http";
import { http, HttpResponse } from "msw";
import type { JWT } from "next-auth/jwt";
import { acceptBackchannelLogout, SIGN_OUT_ANNOUNCEMENT_FALLBACK_MS } from "@/lib/session/backchannelLogout";
import { createLogoutQueue } from "@/lib/session/logoutQueue";
import { createRevocation } from "@/lib/session/revocation";
import { signOut, type SignOutDeps } from "@/lib/session/signOut";
import { storeKeys } from "@/lib/session/storeKeys";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { logoutClaims, setupRealmKeys, signLogoutToken } from "@/mocks/logoutTokens";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";
import { storeOutage } from "@/testing/storeOutage";
import { createTestAuth, fakeClock } from "@/testing/testAuth";

setupMswServer();
const realm = setupRealmKeys();

const SESSION_MAX_AGE_S = 3600;
const token = { provider: "keycloak" as const, id_token: "id.token.value", sessionId: "session-1", sid: "kc-1" };

let store: KeyValueStore;
let logs: ReturnType<typeof captureLogs>;
const clock = fakeClock();
beforeEach(() => {
  store = createMemoryStore();
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await store.close();
});

/** One instance's sign-out over `over` (the shared store by default). */
const deps = (overrides: Partial<SignOutDeps> & { over?: KeyValueStore } = {}): SignOutDeps => {
  const { over = store, ...rest } = overrides;
  const keycloak = testKeycloak();
  return {
    keycloak,
    revocation: createRevocation({ store: over, clock, sessionMaxAgeS: SESSION_MAX_AGE_S }),
    queue: createLogoutQueue({ keycloak, store: over, clock, sessionMaxAgeS: SESSION_MAX_AGE_S }),
    store: over,
    clock,
    federated: true,
    ...rest,
  };
};

/** Counts the requests that reach Keycloak (msw) while `run` runs. */
async function keycloakRequests(run: () => Promise<unknown>): Promise<string[]> {
  const requests: string[] = [];
  const onRequest = ({ request }: { request: Request }) => void requests.push(request.url);
  server.events.on("request:start", onRequest);
  try {
    await run();
  } finally {
    server.events.removeListener("request:start", onRequest);
  }
  return requests;
}

describe("signOut", () => {
  it("ends the session as a sign-out when Keycloak's back-channel logout arrives during the handshake, and tells the tabs once", async () => {
    // The app's client with the realm's keys held locally, as the back-channel endpoint verifies them.
    const keycloak = { ...testKeycloak(), signingKeys: async () => realm.keys };
    const instance = deps({ keycloak });
    const heard: string[] = [];
    instance.revocation.onRevoked((_target, reason) => heard.push(reason));
    server.use(
      http.post(ENDPOINTS.logout, async () => {
        // Keycloak calls the app's back-channel endpoint before it answers the end-session request.
        const logoutToken = await signLogoutToken(logoutClaims({ sid: token.sid }), realm.realmKey.privateKey);
        await expect(acceptBackchannelLogout(logoutToken, { keycloak, store, revocation: instance.revocation })).resolves.toMatchObject({ ok: true });
        // Not announced as Keycloak's: the sign-out tells the tabs when it is over.
        expect(heard).toEqual([]);
        return HttpResponse.text("You are logged out");
      }),
    );
    await expect(signOut(token, instance)).resolves.toEqual({ keycloak: "ended" });
    expect(heard).toEqual(["signed-out"]);
    expect(await store.get(storeKeys.revokedSid(token.sid))).toBe("signed-out");
    expect(await store.get(storeKeys.signOutUnderWay(token.sid))).toBeNull();
  });

  it("still tells the tabs when the sign-out never announces its end (its instance stopped mid-handshake)", async () => {
    const keycloak = { ...testKeycloak(), signingKeys: async () => realm.keys };
    const instance = deps({ keycloak });
    const heard: string[] = [];
    instance.revocation.onRevoked((_target, reason) => heard.push(reason));
    // What the stopped sign-out left: its app session revoked, unannounced, and the under-way mark for its sid.
    await instance.revocation.revoke({ sessionId: token.sessionId }, "signed-out", { deferAnnouncement: true });
    await store.set(storeKeys.signOutUnderWay(token.sid), "1", 10_000);
    const logoutToken = await signLogoutToken(logoutClaims({ sid: token.sid }), realm.realmKey.privateKey);
    await acceptBackchannelLogout(logoutToken, { keycloak, store, revocation: instance.revocation });
    expect(heard).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, SIGN_OUT_ANNOUNCEMENT_FALLBACK_MS + 200));
    expect(heard).toEqual(["signed-out"]);
  });

  it("revokes the app session, then ends the Keycloak session, and says Keycloak confirmed", async () => {
    let hinted: string | null = null;
    server.use(
      http.post(ENDPOINTS.logout, async ({ request }) => {
        hinted = new URLSearchParams(await request.text()).get("id_token_hint");
        return HttpResponse.text("You are logged out");
      }),
    );

    await expect(signOut(token, deps())).resolves.toEqual({ keycloak: "ended" });

    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(hinted).toBe("id.token.value");
  });

  it("signs out locally when Keycloak hangs, and says Keycloak's session may live (queued for retries)", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new Promise<Response>(() => undefined)));
    const started = Date.now();

    await expect(signOut(token, deps())).resolves.toEqual({ keycloak: "may-live", queued: true });

    expect(Date.now() - started).toBeLessThan(2000);
    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(logs.lines().join("\n")).not.toContain("id.token.value");
  });

  it("says Keycloak's session may live when Keycloak rejects the hint", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    await expect(signOut(token, deps())).resolves.toEqual({ keycloak: "may-live", queued: false });
  });

  it("queues a failed logout in the store for another instance to retry", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("down", { status: 503 })));
    await signOut(token, deps());
    expect(await store.scheduleSize(storeKeys.logoutQueue)).toBe(1);
  });

  it("does not queue a logout whose hint Keycloak rejected (it would be rejected again)", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    await signOut(token, deps());
    expect(await store.scheduleSize(storeKeys.logoutQueue)).toBe(0);
  });

  it("only clears the local session when the federated logout is switched off: Keycloak is not called at all", async () => {
    let outcome: unknown;
    const requests = await keycloakRequests(async () => (outcome = await signOut(token, deps({ federated: false }))));
    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(requests).toEqual([]);
    expect(outcome).toEqual({ keycloak: "skipped" });
  });

  it("does nothing more for a session already signed out (a replayed cookie): no handshake, nothing queued", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("down", { status: 503 })));
    // Two instances: the replay may reach another one.
    await signOut(token, deps());
    expect(await store.scheduleSize(storeKeys.logoutQueue)).toBe(1);

    for (const instance of [deps(), deps()]) {
      let outcome: unknown;
      const requests = await keycloakRequests(async () => (outcome = await signOut(token, instance)));
      expect(outcome).toEqual({ keycloak: "already-signed-out" });
      expect(requests).toEqual([]);
    }
    expect(await store.scheduleSize(storeKeys.logoutQueue)).toBe(1);
  });

  it("still ends the Keycloak session of a session that ended otherwise (its refresh refused), once", async () => {
    await store.set(storeKeys.revokedSession("session-1"), "refresh-refused", 60_000);
    let hinted = 0;
    server.use(
      http.post(ENDPOINTS.logout, () => {
        hinted++;
        return HttpResponse.text("You are logged out");
      }),
    );
    await expect(signOut(token, deps())).resolves.toEqual({ keycloak: "ended" });
    expect(hinted).toBe(1);
    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    // A replay of that sign-out is a replay.
    await expect(signOut(token, deps())).resolves.toEqual({ keycloak: "already-signed-out" });
    expect(hinted).toBe(1);
  });

  describe("while the store is down", () => {
    it("keeps the revocation in this instance, refuses the session there, still ends the Keycloak session, and writes it when the store is back", async () => {
      server.use(http.post(ENDPOINTS.logout, () => HttpResponse.text("You are logged out")));
      const outage = storeOutage(store);
      const instance = deps({ over: outage.store });

      await expect(signOut(token, instance)).resolves.toEqual({ keycloak: "ended" });

      expect(instance.revocation.keptCount).toBe(1);
      expect((await instance.revocation.check({ sessionId: "session-1" })).ended).toBe("signed-out");
      expect(await store.get(storeKeys.revokedSession("session-1"))).toBeNull();

      // The store answers again: the next check (or the background tick) writes what was kept.
      outage.heal();
      await instance.revocation.flush();
      expect(instance.revocation.keptCount).toBe(0);
      expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    });

    it("does nothing more for a replay of a sign-out this instance kept", async () => {
      server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("down", { status: 503 })));
      const instance = deps({ over: storeOutage(store).store });
      await signOut(token, instance);
      let outcome: unknown;
      const requests = await keycloakRequests(async () => (outcome = await signOut(token, instance)));
      expect(outcome).toEqual({ keycloak: "already-signed-out" });
      expect(requests).toEqual([]);
    });
  });

  it("reports a store failure as what it is, and still ends the Keycloak session", async () => {
    server.use(http.post(ENDPOINTS.logout, () => HttpResponse.text("You are logged out")));
    const broken: KeyValueStore = {
      ...store,
      set: async () => Promise.reject(new TypeError("bug in a store")),
      setIfAbsent: async () => Promise.reject(new TypeError("bug in a store")),
    };
    // Through next-auth's events.signOut, which catches what the sign-out throws.
    const auth = createTestAuth({ store: broken });
    const route = { req: { headers: {} } as IncomingMessage, res: { getHeader: () => undefined, setHeader: () => undefined } as unknown as ServerResponse };
    await auth.nextAuthOptions(route).events!.signOut!({ token: token as JWT, session: undefined as never });
    const lines = logs.lines().join("\n");
    expect(lines).toMatch(/name=TypeError .*message="bug in a store"/);
    expect(lines).not.toMatch(/store unavailable/);
    expect(lines).toMatch(/KEYCLOAK_LOGOUT_OK/);
  });
});

describe("events.signOut (the NextAuth route)", () => {

  const signOutThroughRoute = async (clockMs: number) => {
    const res = recordingResponse();
    const auth = createTestAuth({ store, clock: fakeClock(clockMs) });
    await auth.nextAuthOptions({ req: { headers: {} } as IncomingMessage, res }).events!.signOut!({ token: token as JWT, session: undefined as never });
    return res.cookies();
  };

  it("marks the browser even when Keycloak confirmed (a leftover Keycloak authentication session cannot sign it back in)", async () => {
    server.use(http.post(ENDPOINTS.logout, () => HttpResponse.text("You are logged out")));
    expect(await signOutThroughRoute(1_700_000_000_000)).toEqual([expect.stringMatching(/^kc-reauth=1700000000;/)]);
  });

  it("leaves no mark when federated logout is switched off (the app's cookie only, as configured)", async () => {
    const res = recordingResponse();
    const auth = createTestAuth({ store, env: { KEYCLOAK_FEDERATED_LOGOUT: "false" } });
    await auth.nextAuthOptions({ req: { headers: {} } as IncomingMessage, res }).events!.signOut!({ token: token as JWT, session: undefined as never });
    expect(res.cookies()).toEqual([]);
  });

  it.each([
    ["hangs", () => new Promise<Response>(() => undefined)],
    ["rejects the hint", () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })],
  ])("marks the browser with the time of the failed logout when Keycloak %s, so the next sign-in asks for credentials", async (_name, answer) => {
    server.use(http.post(ENDPOINTS.logout, answer));
    expect(await signOutThroughRoute(1_700_000_000_000)).toEqual([expect.stringMatching(/^kc-reauth=1700000000;/)]);
  });
});
