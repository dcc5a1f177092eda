import { http, HttpResponse } from "msw";
import { createLogoutQueue, type LogoutQueue, type LogoutQueueDeps } from "@/lib/session/logoutQueue";
import { storeKeys } from "@/lib/session/storeKeys";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";
import { storeOutage } from "@/testing/storeOutage";
import { fakeClock, type FakeClock } from "@/testing/testAuth";

setupMswServer();

let store: KeyValueStore;
let clock: FakeClock;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  store = createMemoryStore();
  clock = fakeClock();
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await store.close();
});

/** One instance's queue over the shared store; retries are due at once, so each retryDue() call is one more try. */
const queue = (overrides: Partial<LogoutQueueDeps> = {}): LogoutQueue =>
  createLogoutQueue({ keycloak: testKeycloak(), store, clock, sessionMaxAgeS: 3600, retryDelaysMs: [0], ...overrides });
const pending = (sid = "kc-1") => ({ idToken: `id.token.${sid}`, sid, signedOutAt: clock.nowMs() });
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
    const instance = queue();
    await instance.enqueue(pending());
    await instance.retryDue();
    expect(await queued()).toBe(1);
    await instance.retryDue();
    expect(calls.count).toBe(2);
    expect(calls.hints).toEqual(["id.token.kc-1", "id.token.kc-1"]);
    expect(await queued()).toBe(0);
    expect(logs.lines().join("\n")).not.toContain("id.token.kc-1");
  });

  it("is retried by another instance sharing the store (the one that queued it may be gone)", async () => {
    const calls = logoutEndpoint(0);
    await queue().enqueue(pending());
    // A second instance: its own client and queue, the same store.
    await queue({ keycloak: testKeycloak() }).retryDue();
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
    await queue().enqueue(pending());
    await Promise.all([queue().retryDue(), queue().retryDue(), queue().retryDue()]);
    expect(calls).toBe(1);
  });

  it("waits for the entry's due time, then retries it", async () => {
    const calls = logoutEndpoint(0);
    await queue({ retryDelaysMs: [60_000] }).enqueue(pending());
    await queue().retryDue();
    expect(calls.count).toBe(0);
    expect(await queued()).toBe(1);
    clock.advance(60_000);
    await queue().retryDue();
    expect(calls.count).toBe(1);
    expect(await queued()).toBe(0);
  });

  it("drops an entry once the user signed in again into that Keycloak session", async () => {
    const calls = logoutEndpoint(0);
    await queue().enqueue(pending());
    await store.set(storeKeys.sidSignedIn("kc-1"), String(clock.nowMs() + 1), 60_000);
    await queue().retryDue();
    expect(calls.count).toBe(0);
    expect(await queued()).toBe(0);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_RETRY_DROPPED .*reason="signed in again"/);
  });

  it("gives up once the Keycloak session could no longer exist", async () => {
    const calls = logoutEndpoint(0);
    await queue().enqueue(pending());
    clock.advance(3601_000);
    await queue().retryDue();
    expect(calls.count).toBe(0);
    expect(await queued()).toBe(0);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_GAVE_UP/);
  });

  it("stops at a rejected hint", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    const instance = queue();
    await instance.enqueue(pending());
    await instance.retryDue();
    expect(await queued()).toBe(0);
  });

  it("holds one entry per Keycloak session: signing the same sid out again replaces it, whoever queues it", async () => {
    const first = queue({ maxPending: 1 });
    await expect(first.enqueue(pending())).resolves.toEqual({ stored: true });
    await expect(first.enqueue(pending())).resolves.toEqual({ stored: true });
    await expect(queue({ maxPending: 1 }).enqueue(pending())).resolves.toEqual({ stored: true });
    expect(await queued()).toBe(1);
    expect(logs.lines().join("\n")).not.toMatch(/KEYCLOAK_LOGOUT_QUEUE_FULL/);
  });

  it("keys an ID token without sid by its hint: the same hint queued twice is one entry", async () => {
    const instance = queue();
    await instance.enqueue({ idToken: "hint-without-sid", signedOutAt: clock.nowMs() });
    await instance.enqueue({ idToken: "hint-without-sid", signedOutAt: clock.nowMs() });
    await instance.enqueue({ idToken: "another-hint", signedOutAt: clock.nowMs() });
    expect(await queued()).toBe(2);
  });

  it("is bounded: past the cap a sign-out is logged and not queued, and the entries already there stay", async () => {
    const calls = logoutEndpoint(0);
    const instance = queue({ maxPending: 1 });
    await expect(instance.enqueue(pending("kc-1"))).resolves.toEqual({ stored: true });
    await expect(instance.enqueue(pending("kc-2"))).resolves.toEqual({ stored: false });
    expect(await queued()).toBe(1);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_QUEUE_FULL max=1/);
    await instance.retryDue();
    expect(calls.hints).toEqual(["id.token.kc-1"]);
  });

  it("keeps what it queued while the store was down, and writes it when the store answers", async () => {
    const outage = storeOutage(store);
    const instance = queue({ store: outage.store });
    await expect(instance.enqueue(pending())).resolves.toEqual({ stored: false });
    await expect(instance.resync()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });

    outage.heal();
    await instance.resync();
    expect(await queued()).toBe(1);
    expect(JSON.parse((await store.get(storeKeys.pendingLogout("kc-1")))!)).toMatchObject({ idToken: "id.token.kc-1", sid: "kc-1" });
  });

  it("writes again what it queued and the store lost (FLUSHALL, restart without persistence)", async () => {
    const instance = queue();
    await instance.enqueue(pending());
    // The store loses its data.
    await store.unschedule(storeKeys.logoutQueue, "kc-1");
    await store.delete(storeKeys.pendingLogout("kc-1"));

    instance.forgetStored();
    await instance.resync();
    expect(await queued()).toBe(1);
  });

  it("does not write back, after a store loss, an entry it already finished", async () => {
    logoutEndpoint(0);
    const instance = queue();
    await instance.enqueue(pending());
    await instance.retryDue();
    instance.forgetStored();
    await instance.resync();
    expect(await queued()).toBe(0);
  });
});
