// Jest's side of testing/redis.mjs: Redis-backed suites that can never be skipped silently in CI.
import { hasRedisServer, startRedis, type RedisServer } from "./redis.mjs";

export type { RedisServer };

/** Starts redis-server on `port` (a free loopback port by default); see testing/redis.mjs. */
export function startRedisServer(port?: number): Promise<RedisServer> {
  return startRedis({ port });
}

/**
 * Redis-backed tests need the real server. Locally without it they are skipped with a notice;
 * in CI (CI=true) its absence is a failure, so they can never be skipped silently there.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (hasRedisServer()) return describe(name, body);
  if (process.env.CI) {
    return describe(name, () => {
      it("has redis-server installed", () => {
        throw new Error("redis-server is missing: apt-get install -y redis-server");
      });
    });
  }
  console.warn(`Skipping "${name}": redis-server is not installed (apt-get install -y redis-server).`);
  describe.skip(name, body);
}
