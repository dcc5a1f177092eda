import { createRevocation, type Revocation } from "@/lib/session/revocation";
import { storeKeys } from "@/lib/session/storeKeys";
import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { captureLogs } from "@/testing/captureLogs";
import { fakeClock, type FakeClock } from "@/testing/testAuth";

/** A store whose answers can be switched off, as Redis refusing connections. */
function switchableStore(): KeyValueStore & { down: boolean } {
  const inner = createMemoryStore();
  const wrapped = { down: false } as KeyValueStore & { down: boolean };
  for (const [name, value] of Object.entries(inner)) {
    (wrapped as unknown as Record<string, unknown>)[name] =
      typeof value === "function"
        ? (...args: unknown[]) => (wrapped.down ? Promise.reject(storeUnavailable("Redis did not answer")) : (value as (...a: unknown[]) => unknown)(...args))
        : value;
  }
  return wrapped;
}

let store: ReturnType<typeof switchableStore>;
let clock: FakeClock;
let logs: ReturnType<typeof captureLogs>;
/** Two instances of the app over one store. */
let a: Revocation;
let b: Revocation;
beforeEach(() => {
  store = switchableStore();
  clock = fakeClock();
  logs = captureLogs();
  a = createRevocation({ store, clock, sessionMaxAgeS: 3600 });
  b = createRevocation({ store, clock, sessionMaxAgeS: 3600 });
});
afterEach(() => logs.restore());

async function session(overrides: { sessionId?: string; sid?: string; sub?: string } = {}) {
  return { sessionId: "s-1", sid: "kc-1", sub: "user-1", signedInAtMs: clock.nowMs(), generation: await a.generation(), ...overrides };
}

describe("revocation core", () => {
  it("ends a session on every instance once revoked, and says why", async () => {
    const alice = await session();
    expect((await b.check(alice)).ended).toBeNull();
    await a.revoke({ sessionId: "s-1" }, "signed-out");
    expect((await b.check(alice)).ended).toBe("signed-out");
  });

  it("tells its listeners at once, or when the caller announces it (a sign-out, after its Keycloak handshake)", async () => {
    const told: string[] = [];
    a.onRevoked((target, reason) => told.push(`${Object.values(target)[0]} ${reason}`));
    await a.revoke({ sid: "kc-1" }, "keycloak-logout");
    const deferred = await a.revoke({ sessionId: "s-1" }, "signed-out", { deferAnnouncement: true });
    expect(told).toEqual(["kc-1 keycloak-logout"]);
    deferred.announce?.();
    expect(told).toEqual(["kc-1 keycloak-logout", "s-1 signed-out"]);
    // A repeated revocation has nothing to announce.
    expect((await a.revoke({ sessionId: "s-1" }, "signed-out", { deferAnnouncement: true })).announce).toBeUndefined();
  });

  it("tells a repeated sign-out from the first one", async () => {
    expect((await a.revoke({ sessionId: "s-1" }, "signed-out")).first).toBe(true);
    expect((await b.revoke({ sessionId: "s-1" }, "signed-out")).first).toBe(false);
  });

  it("ends a Keycloak session's app sessions by sid, and a user's sessions signed in before a sub revocation only", async () => {
    const before = await session();
    clock.advance(300);
    await a.revoke({ sub: "user-1" }, "signed-out-everywhere");
    clock.advance(300);
    // Signed in 300 ms after the revocation, within the same second: it lives.
    const after = await session({ sessionId: "s-2" });
    expect((await b.check(before)).ended).toBe("signed-out-everywhere");
    expect((await b.check(after)).ended).toBeNull();
    await a.revoke({ sid: "kc-1" }, "keycloak-logout");
    expect((await b.check(after)).ended).toBe("keycloak-logout");
  });

  describe("when the store loses its data (restart without persistence, FLUSHALL)", () => {
    async function flushAll() {
      for (const key of [storeKeys.generation, storeKeys.revokedSession("s-1"), storeKeys.tokens("s-1")]) await store.delete(key);
    }

    it("ends every session issued before the loss, even one whose revocation was lost with it", async () => {
      const signedOut = await session();
      const live = await session({ sessionId: "s-2" });
      await a.revoke({ sessionId: "s-1" }, "signed-out");
      await flushAll();
      expect((await b.check(signedOut)).ended).toBe("store-reset");
      expect((await a.check(live)).ended).toBe("store-reset");
    });

    it("lets sessions issued after the loss live, and logs STORE_RESET once per instance", async () => {
      await b.check(await session());
      await flushAll();
      const fresh = await session({ sessionId: "s-3" });
      expect((await b.check(fresh)).ended).toBeNull();
      expect((await b.check(fresh)).ended).toBeNull();
      expect(logs.lines().filter((line) => line.includes("STORE_RESET"))).toHaveLength(2);
    });

    it("tells its listeners, so lost Keycloak logouts are written again", async () => {
      let resets = 0;
      b.onStoreReset(() => resets++);
      await b.check(await session());
      await flushAll();
      await b.generation();
      expect(resets).toBe(1);
    });
  });

  describe("when the store does not answer during a revocation", () => {
    it("keeps it: this instance refuses the session at once, and writes it before anything else once the store answers", async () => {
      const alice = await session();
      store.down = true;
      expect(await a.revoke({ sessionId: "s-1" }, "signed-out")).toEqual({ recorded: "instance", first: true });
      expect(a.keptCount).toBe(1);
      expect((await a.check(alice)).ended).toBe("signed-out");
      await expect(b.check(alice)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });

      store.down = false;
      // The first read on the keeping instance, whatever session it is for, writes what it kept.
      expect((await a.check(await session({ sessionId: "s-9" }))).ended).toBeNull();
      expect(a.keptCount).toBe(0);
      expect((await b.check(alice)).ended).toBe("signed-out");
      expect(logs.lines().join("\n")).toMatch(/REVOCATION_KEPT[\s\S]*REVOCATION_WRITTEN/);
    });

    it("says why a kept session revocation ended it", async () => {
      const alice = await session();
      store.down = true;
      await a.revoke({ sessionId: "s-1" }, "refresh-refused");
      expect((await a.check(alice)).ended).toBe("refresh-refused");
    });

    it("keeps sid and sub revocations the same way", async () => {
      const alice = await session();
      store.down = true;
      await a.revoke({ sid: "kc-1" }, "keycloak-logout");
      expect((await a.check(alice)).ended).toBe("keycloak-logout");
      store.down = false;
      await a.flush();
      expect((await b.check(alice)).ended).toBe("keycloak-logout");
    });

    it("does not move a user-wide revocation back in time when another instance wrote a later one meanwhile", async () => {
      store.down = true;
      await a.revoke({ sub: "user-1" }, "signed-out-everywhere");
      store.down = false;
      clock.advance(60_000);
      // Signed in after A's revocation, then ended by "Sign out everywhere" on B while A was cut off.
      const phone = await session({ sessionId: "s-phone", sid: "kc-phone" });
      clock.advance(1000);
      await b.revoke({ sub: "user-1" }, "signed-out-everywhere");
      await a.flush();
      expect((await b.check(phone)).ended).toBe("signed-out-everywhere");
    });

    it("fails closed while the store is down and it has something to write", async () => {
      store.down = true;
      await a.revoke({ sessionId: "s-1" }, "signed-out");
      await expect(a.check(await Promise.resolve({ sessionId: "s-2", generation: "g" }))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    });
  });
});
