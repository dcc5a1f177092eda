import { createAuth, type Auth } from "./auth";
import { getEnv } from "./config/env";
import { createKeycloakClient } from "./keycloak/keycloakClient";
import { log } from "./log";
import { REFRESH_REQUEST_TIMEOUT_MS } from "./session/sessionPolicy";
import { createMemoryStore } from "./store/memoryStore";
import { createRedisStore } from "./store/redisStore";

// On globalThis: Next bundles pages and API routes separately, and dev-mode reloads re-evaluate modules; one Redis
// connection, one revocation core and one refresh coordinator per process either way.
const holder = globalThis as typeof globalThis & { __auth?: Auth };

/** The process's session layer, built once from the validated env: Redis when REDIS_URL is set, in-memory otherwise. */
export function getAuth(): Auth {
  if (!holder.__auth) {
    const env = getEnv();
    holder.__auth = createAuth({
      env,
      store: env.REDIS_URL ? createRedisStore(env.REDIS_URL) : createMemoryStore(),
      keycloak: createKeycloakClient({
        issuer: env.KEYCLOAK_ISSUER,
        clientId: env.KEYCLOAK_CLIENT_ID,
        clientSecret: env.KEYCLOAK_CLIENT_SECRET,
        logoutTimeoutMs: env.KEYCLOAK_LOGOUT_TIMEOUT_MS,
        refreshTimeoutMs: REFRESH_REQUEST_TIMEOUT_MS,
      }),
    });
  }
  return holder.__auth;
}

/** Starts the process's background work and says, once, whether the store keeps its data across a restart. */
export async function startProcessAuth(): Promise<void> {
  const auth = getAuth();
  auth.worker.start();
  const persistence = await auth.store.persistence().catch(() => "unknown" as const);
  // The in-memory store is the one-instance default: forgetting at restart is its documented nature, not news.
  if (persistence === "none" && auth.store.kind === "redis") {
    log.warn("STORE_NOT_PERSISTENT", {
      behaviour: "a Redis restart ends every session (users sign in again); pending Keycloak logouts survive only in the instances",
      hint: "enable AOF or RDB snapshots (README, production checklist)",
    });
  }
}
