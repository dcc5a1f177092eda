import { AppError } from "@/lib/errors";
import type { RefreshedTokens } from "@/lib/keycloak/refreshGrant";
import { createRefreshCoordinator, type RefreshCoordination } from "@/lib/session/refreshCoordinator";
import { storeKeys } from "@/lib/session/storeKeys";
import { parseTokenState, saveTokenState, type TokenState } from "@/lib/session/tokenState";
import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { createRedisStore } from "@/lib/store/redisStore";
import { describeWithRedis, startRedisServer, type RedisServer } from "@/testing/redisServer";

const nowS = () => Math.floor(Date.now() / 1000);

/** A fake token endpoint with Keycloak's "Revoke Refresh Token" on: each refresh token works once. */
function singleUseRefreshEndpoint(firstRefreshToken: string) {
  let current = firstRefreshToken;
  let grants = 0;
  const refresh = async (refreshToken: string): Promise<RefreshedTokens> => {
    grants++;
    await new Promise((resolve) => setTimeout(resolve, 30));
    if (refreshToken !== current) throw new AppError("REFRESH_REFUSED", "Maximum allowed refresh token reuse exceeded");
    current = `rt-${grants + 1}`;
    return { accessToken: `at-${grants + 1}`, expiresAt: nowS() + 300, lifetimeS: 300, refreshToken: current, refreshExpiresAt: nowS() + 1800 };
  };
  return { refresh, grants: () => grants };
}

const expired = (refreshToken: string): TokenState => ({
  accessToken: "at-1",
  expiresAt: nowS() - 1,
  refreshToken,
  refreshExpiresAt: nowS() + 1800,
  roles: { realm: [], client: [] },
});

/** The coordinator of one app process (lib/session/lifecycle.ts builds one per lifecycle). */
let ensureFreshTokens: (options: RefreshCoordination) => Promise<TokenState>;
beforeEach(() => {
  ensureFreshTokens = createRefreshCoordinator();
});

function coordination(stores: KeyValueStore[], endpoint: ReturnType<typeof singleUseRefreshEndpoint>) {
  return (i: number) =>
    ensureFreshTokens({
      store: stores[i % stores.length],
      sessionId: "s-1",
      cookieRefreshToken: "rt-1",
      refresh: endpoint.refresh,
      rolesOf: () => ({ realm: ["user"], client: [] }),
      lockTtlMs: 3000,
      fallbackTtlMs: 60_000,
    });
}

describe("ensureFreshTokens with the memory store", () => {
  let store: KeyValueStore;
  beforeEach(() => {
    store = createMemoryStore();
  });
  afterEach(() => store.close());

  it("performs one refresh for a burst of 20 requests, even with single-use refresh tokens", async () => {
    await saveTokenState(store, "s-1", expired("rt-1"), 60_000);
    const endpoint = singleUseRefreshEndpoint("rt-1");

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => coordination([store], endpoint)(i)));

    expect(endpoint.grants()).toBe(1);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(["at-2"]));
    expect(parseTokenState(await store.get(storeKeys.tokens("s-1")))?.refreshToken).toBe("rt-2");
  });

  it("uses the refresh token from the cookie when the store lost the session (restart)", async () => {
    const endpoint = singleUseRefreshEndpoint("rt-1");
    await expect(coordination([store], endpoint)(0)).resolves.toMatchObject({ accessToken: "at-2", roles: { realm: ["user"], client: [] } });
  });

  it("uses the cookie's refresh token when it is newer than the stored one (a save was lost)", async () => {
    await saveTokenState(store, "s-1", { ...expired("rt-old"), expiresAt: nowS() - 600 }, 60_000);
    const endpoint = singleUseRefreshEndpoint("rt-1");
    const state = await ensureFreshTokens({
      store,
      sessionId: "s-1",
      cookieRefreshToken: "rt-1",
      cookieExpiresAt: nowS() - 1,
      refresh: endpoint.refresh,
      rolesOf: () => ({ realm: [], client: [] }),
      lockTtlMs: 3000,
      fallbackTtlMs: 60_000,
    });
    expect(state.refreshToken).toBe("rt-2");
  });

  it("still returns the rotated refresh token when the store cannot save it", async () => {
    const endpoint = singleUseRefreshEndpoint("rt-1");
    const failingSaves: KeyValueStore = {
      ...store,
      set: () => Promise.reject(storeUnavailable("Redis did not answer")),
    };
    const state = await ensureFreshTokens({
      store: failingSaves,
      sessionId: "s-2",
      cookieRefreshToken: "rt-1",
      refresh: endpoint.refresh,
      rolesOf: () => ({ realm: [], client: [] }),
      lockTtlMs: 3000,
      fallbackTtlMs: 60_000,
    });
    expect(state.refreshToken).toBe("rt-2");
  });

  it("passes a refused refresh to every waiting request", async () => {
    const endpoint = singleUseRefreshEndpoint("rt-other");
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => coordination([store], endpoint)(i)));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect(endpoint.grants()).toBe(1);
  });
});

describeWithRedis("ensureFreshTokens across instances sharing Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it("performs one refresh for a burst split over two instances", async () => {
    // Two coordinators with two Redis clients stand for two app processes: only the store lock is shared.
    const stores = [createRedisStore(redis.url), createRedisStore(redis.url)];
    const coordinators = [createRefreshCoordinator(), createRefreshCoordinator()];
    await saveTokenState(stores[0], "s-1", expired("rt-1"), 60_000);
    const endpoint = singleUseRefreshEndpoint("rt-1");

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        coordinators[i % 2]({
          store: stores[i % 2],
          sessionId: "s-1",
          cookieRefreshToken: "rt-1",
          refresh: endpoint.refresh,
          rolesOf: () => ({ realm: [], client: [] }),
          lockTtlMs: 3000,
          fallbackTtlMs: 60_000,
        }),
      ),
    );

    expect(endpoint.grants()).toBe(1);
    expect(new Set(results.map((r) => r.refreshToken))).toEqual(new Set(["rt-2"]));
    await Promise.all(stores.map((store) => store.close()));
  });
});
