import { http, HttpResponse } from "msw";
import { enqueueLogout, retryDueLogouts, type LogoutQueueDeps } from "@/lib/session/logoutQueue";
import { storeKeys } from "@/lib/session/storeKeys";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

let store: KeyValueStore;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  store = createMemoryStore();
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await store.close();
});

// Retries are due at once, so each retryDueLogouts() call is one more try.
const deps = (overrides: Partial<LogoutQueueDeps> = {}): LogoutQueueDeps => ({
  keycloak: testKeycloak(),
  store,
  sessionMaxAgeS: 3600,
  retryDelaysMs: [0],
  ...overrides,
});
const pending = { idToken: "id.token.value", sid: "kc-1", signedOutAt: Date.now() };
const queued = () => store.scheduleSize(storeKeys.logoutQueue);

/** Keycloak's logout answering 503 for the first `failures` calls, then 200; counts the calls. */
function logoutEndpoint(failures: number) {
  const calls = { count: 0, hints: [] as (string | null)[] };
  server.use(
    http.post(ENDPOINTS.logout, async ({ request }) => {
      calls.hints.push(new URLSearchParams(await request.text()).get("id_token_hint"));
      return ++calls.count <= failures ? new HttpResponse("down", { status: 503 }) : HttpResponse.text("You are logged out");
    }),
  );
  return calls;
}

describe("the pending logout queue", () => {
  it("retries until Keycloak confirms, with the same hint, then forgets the entry", async () => {
    const calls = logoutEndpoint(1);
    await enqueueLogout(pending, deps());
    await retryDueLogouts(deps());
    expect(await queued()).toBe(1);
    await retryDueLogouts(deps());
    expect(calls.count).toBe(2);
    expect(calls.hints).toEqual(["id.token.value", "id.token.value"]);
    expect(await queued()).toBe(0);
    expect(logs.lines().join("\n")).not.toContain("id.token.value");
  });

  it("is retried by another instance sharing the store (the one that queued it may be gone)", async () => {
    const calls = logoutEndpoint(0);
    await enqueueLogout(pending, deps());
    // A second instance: its own client, the same store.
    await retryDueLogouts(deps({ keycloak: testKeycloak() }));
    expect(calls.count).toBe(1);
    expect(await queued()).toBe(0);
  });

  it("lets only one instance try an entry at a time", async () => {
    let calls = 0;
    server.use(
      http.post(ENDPOINTS.logout, async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return HttpResponse.text("You are logged out");
      }),
    );
    await enqueueLogout(pending, deps());
    await Promise.all([retryDueLogouts(deps()), retryDueLogouts(deps()), retryDueLogouts(deps())]);
    expect(calls).toBe(1);
  });

  it("waits for the entry's due time", async () => {
    const calls = logoutEndpoint(0);
    await enqueueLogout(pending, deps({ retryDelaysMs: [60_000] }));
    await retryDueLogouts(deps());
    expect(calls.count).toBe(0);
    expect(await queued()).toBe(1);
  });

  it("drops an entry once the user signed in again into that Keycloak session", async () => {
    const calls = logoutEndpoint(0);
    await enqueueLogout(pending, deps());
    await store.set(storeKeys.sidSignedIn("kc-1"), String(Date.now() + 1), 60_000);
    await retryDueLogouts(deps());
    expect(calls.count).toBe(0);
    expect(await queued()).toBe(0);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_RETRY_DROPPED .*reason="signed in again"/);
  });

  it("gives up once the Keycloak session could no longer exist", async () => {
    const calls = logoutEndpoint(0);
    await enqueueLogout({ ...pending, signedOutAt: Date.now() - 3601_000 }, deps());
    await retryDueLogouts(deps());
    expect(calls.count).toBe(0);
    expect(await queued()).toBe(0);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_GAVE_UP/);
  });

  it("stops at a rejected hint", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    await enqueueLogout(pending, deps());
    await retryDueLogouts(deps());
    expect(await queued()).toBe(0);
  });

  it("is bounded: past the cap a sign-out is logged and not queued", async () => {
    await enqueueLogout(pending, deps({ maxPending: 1 }));
    await enqueueLogout(pending, deps({ maxPending: 1 }));
    expect(await queued()).toBe(1);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_QUEUE_FULL max=1/);
  });
});
