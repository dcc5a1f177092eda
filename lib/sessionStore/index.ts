import { getEnv } from "../env";
import { createMemoryStore } from "./memoryStore";
import { createRedisStore } from "./redisStore";
import type { SessionStore } from "./sessionStore";

export type { SessionStore } from "./sessionStore";
export { isStoreUnavailable, StoreUnavailableError } from "./sessionStore";

// Kept on globalThis so Next's dev-mode module reloads do not open a new Redis connection each time.
const holder = globalThis as typeof globalThis & { __sessionStore?: SessionStore };

/** The process's store: Redis when REDIS_URL is set, in-memory otherwise. */
export function getSessionStore(): SessionStore {
  if (!holder.__sessionStore) {
    const { REDIS_URL } = getEnv();
    holder.__sessionStore = REDIS_URL ? createRedisStore(REDIS_URL) : createMemoryStore();
  }
  return holder.__sessionStore;
}
