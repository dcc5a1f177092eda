import { http, HttpResponse } from "msw";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { federatedSignOut, type SignOutDeps } from "@/lib/session/signOut";
import { storeKeys } from "@/lib/session/storeKeys";
import { ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const token = { provider: "keycloak" as const, id_token: "id.token.value", sessionId: "session-1", sid: "kc-1" };

let store: KeyValueStore;
let logs: ReturnType<typeof captureLogs>;
let marked: number;
beforeEach(() => {
  store = createMemoryStore();
  logs = captureLogs();
  marked = 0;
});
afterEach(async () => {
  logs.restore();
  await store.close();
});

const deps = (overrides: Partial<SignOutDeps> = {}): SignOutDeps => ({
  keycloak: testKeycloak(),
  store,
  federated: true,
  sessionMaxAgeS: 3600,
  onKeycloakSessionMayLive: () => void marked++,
  ...overrides,
});

describe("federatedSignOut", () => {
  it("revokes the app session, then ends the Keycloak session, and leaves no re-login mark", async () => {
    let hinted: string | null = null;
    server.use(
      http.post(ENDPOINTS.logout, async ({ request }) => {
        hinted = new URLSearchParams(await request.text()).get("id_token_hint");
        return HttpResponse.text("You are logged out");
      }),
    );

    await federatedSignOut(token, deps());

    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(hinted).toBe("id.token.value");
    expect(marked).toBe(0);
  });

  it("signs out locally when Keycloak hangs, and marks the browser so the next sign-in asks for credentials", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new Promise<Response>(() => undefined)));
    const started = Date.now();

    await federatedSignOut(token, deps());

    expect(Date.now() - started).toBeLessThan(2000);
    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(marked).toBe(1);
    expect(logs.lines().join("\n")).not.toContain("id.token.value");
  });

  it("marks the browser when Keycloak rejects the hint", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    await federatedSignOut(token, deps());
    expect(marked).toBe(1);
  });

  it("queues a failed logout in the store for another instance to retry", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("down", { status: 503 })));
    await federatedSignOut(token, deps());
    expect(await store.scheduleSize(storeKeys.logoutQueue)).toBe(1);
  });

  it("does not queue a logout whose hint Keycloak rejected (it would be rejected again)", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    await federatedSignOut(token, deps());
    expect(await store.scheduleSize(storeKeys.logoutQueue)).toBe(0);
  });

  it("only clears the local session when the federated logout is switched off: Keycloak is not called at all", async () => {
    const requests: string[] = [];
    const onRequest = ({ request }: { request: Request }) => void requests.push(request.url);
    server.events.on("request:start", onRequest);
    try {
      await federatedSignOut(token, deps({ federated: false }));
    } finally {
      server.events.removeListener("request:start", onRequest);
    }
    expect(await store.get(storeKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(requests).toEqual([]);
    expect(marked).toBe(0);
  });

  it("reports a store failure as what it is, and still ends the Keycloak session", async () => {
    server.use(http.post(ENDPOINTS.logout, () => HttpResponse.text("You are logged out")));
    const broken: KeyValueStore = { ...store, set: async () => Promise.reject(new TypeError("bug in a store")) };
    await federatedSignOut(token, deps({ store: broken }));
    const lines = logs.lines().join("\n");
    expect(lines).toMatch(/SIGNOUT_REVOKE_FAILED .*name=TypeError .*message="bug in a store"/);
    expect(lines).not.toMatch(/store unavailable/);
    expect(lines).toMatch(/KEYCLOAK_LOGOUT_OK/);
  });
});
