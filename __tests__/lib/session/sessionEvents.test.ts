import { systemClock } from "@/lib/clock";
import { createRevocation } from "@/lib/session/revocation";
import { createSessionEvents } from "@/lib/session/sessionEvents";
import { storeKeys } from "@/lib/session/storeKeys";
import { saveTokenState } from "@/lib/session/tokenState";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { captureLogs } from "@/testing/captureLogs";

const clock = systemClock;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

function instances() {
  const store = createMemoryStore();
  const revocationA = createRevocation({ store, clock, sessionMaxAgeS: 3600 });
  const revocationB = createRevocation({ store, clock, sessionMaxAgeS: 3600 });
  return {
    store,
    a: { revocation: revocationA, events: createSessionEvents({ store, revocation: revocationA, clock }) },
    b: { revocation: revocationB, events: createSessionEvents({ store, revocation: revocationB, clock }) },
  };
}

const until = <T,>(register: (resolve: (value: T) => void) => void) => new Promise<T>((resolve) => register(resolve));

describe("session events", () => {
  it("tells the instance holding a stream when another instance revokes the session, once", async () => {
    const { a, b } = instances();
    const generation = await a.revocation.generation();
    const heard: string[] = [];
    const ended = until<string>((resolve) =>
      b.events.watch({ sessionId: "s-1", generation, absoluteEndMs: Date.now() + 60_000 }, (reason) => {
        heard.push(reason);
        resolve(reason);
      }),
    );
    await a.revocation.revoke({ sessionId: "s-1" }, "signed-out");
    await a.revocation.revoke({ sessionId: "s-1" }, "signed-out");
    expect(await ended).toBe("signed-out");
    expect(heard).toEqual(["signed-out"]);
    expect(b.events.watching).toBe(0);
  });

  it("tells a stream whose session was revoked after the read that opened it but before it was watched", async () => {
    const { a, b } = instances();
    const generation = await a.revocation.generation();
    // B's read found the session signed in; A's sign-out lands before B's stream starts watching.
    await a.revocation.revoke({ sessionId: "s-1" }, "signed-out");
    const reason = await until<string>((resolve) => b.events.watch({ sessionId: "s-1", generation, absoluteEndMs: Date.now() + 60_000 }, resolve));
    expect(reason).toBe("signed-out");
    expect(b.events.watching).toBe(0);
  });

  it("ends a session at its absolute end without any request", async () => {
    const { a } = instances();
    const generation = await a.revocation.generation();
    const started = Date.now();
    const reason = await until<string>((resolve) =>
      a.events.watch({ sessionId: "s-1", generation, absoluteEndMs: started + 150 }, resolve),
    );
    expect(reason).toBe("expired");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("at Keycloak's idle end, keeps a session a refresh has moved on, and ends one nobody refreshed", async () => {
    const { a, store } = instances();
    const generation = await a.revocation.generation();
    const nowS = Math.floor(Date.now() / 1000);
    const tokens = { accessToken: "at", expiresAt: nowS + 60, refreshToken: "rt", roles: { realm: [], client: [] } };
    await saveTokenState(store, "refreshed", { ...tokens, refreshExpiresAt: nowS + 1800 }, 60_000);
    await saveTokenState(store, "idle", { ...tokens, refreshExpiresAt: nowS - 1 }, 60_000);
    const heard: Record<string, string> = {};
    a.events.watch({ sessionId: "refreshed", generation, absoluteEndMs: Date.now() + 60_000, idleEndMs: Date.now() + 50 }, (r) => (heard.refreshed = r));
    const idle = until<string>((resolve) =>
      a.events.watch({ sessionId: "idle", generation, absoluteEndMs: Date.now() + 60_000, idleEndMs: Date.now() + 50 }, resolve),
    );
    expect(await idle).toBe("expired");
    expect(heard.refreshed).toBeUndefined();
    expect(a.events.watching).toBe(1);
  });

  it("ends every watched session of an older generation when the store lost its data", async () => {
    const { a, store } = instances();
    const generation = await a.revocation.generation();
    const ended = until<string>((resolve) => a.events.watch({ sessionId: "s-1", generation, absoluteEndMs: Date.now() + 60_000 }, resolve));
    await store.delete(storeKeys.generation);
    await a.revocation.generation();
    expect(await ended).toBe("store-reset");
  });
});
