import { getEnv } from "./config/env";
import { createKeycloakClient, type KeycloakClient } from "./keycloak/keycloakClient";
import { startLogoutRetries } from "./session/logoutQueue";
import { SESSION_MAX_AGE_S } from "./session/sessionPolicy";
import { createMemoryStore } from "./store/memoryStore";
import { createRedisStore } from "./store/redisStore";
import type { KeyValueStore } from "./store/keyValueStore";

/**
 * The refresh request itself may take this long, longer than a request waits for it: with single-use refresh
 * tokens, abandoning a refresh that Keycloak completes would leave only a spent token behind.
 */
const REFRESH_REQUEST_TIMEOUT_MS = 30_000;

// On globalThis: Next bundles pages and API routes separately, and dev-mode reloads re-evaluate modules; one Redis
// connection and one client per process either way.
const holder = globalThis as typeof globalThis & { __store?: KeyValueStore; __keycloak?: KeycloakClient };

/** The process's store: Redis when REDIS_URL is set, in-memory otherwise. */
export function getStore(): KeyValueStore {
  if (!holder.__store) {
    const { REDIS_URL } = getEnv();
    holder.__store = REDIS_URL ? createRedisStore(REDIS_URL) : createMemoryStore();
  }
  return holder.__store;
}

/** The process's Keycloak client, built once from the validated env. */
export function getKeycloak(): KeycloakClient {
  if (!holder.__keycloak) {
    const env = getEnv();
    holder.__keycloak = createKeycloakClient({
      issuer: env.KEYCLOAK_ISSUER,
      clientId: env.KEYCLOAK_CLIENT_ID,
      clientSecret: env.KEYCLOAK_CLIENT_SECRET,
      logoutTimeoutMs: env.KEYCLOAK_LOGOUT_TIMEOUT_MS,
      refreshTimeoutMs: REFRESH_REQUEST_TIMEOUT_MS,
    });
  }
  return holder.__keycloak;
}

/** Starts the process's background work: retries of Keycloak logouts that failed at sign-out (lib/session/logoutQueue.ts). */
export function startBackgroundWork(): void {
  startLogoutRetries(() => ({ keycloak: getKeycloak(), store: getStore(), sessionMaxAgeS: SESSION_MAX_AGE_S }));
}
