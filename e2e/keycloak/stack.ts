import path from "node:path";

/** Where the Keycloak tier's stack listens; fixed so the global setup and the specs agree. */
export const KC_STACK = {
  realm: "nextjs",
  /** Keycloak itself. Only the admin client talks to it directly, so admin calls work while a fault is on. */
  keycloakPort: 8380,
  keycloakAdminOrigin: "http://127.0.0.1:8380",
  /**
   * The fault proxy in front of Keycloak. Keycloak runs with `--hostname` set to it, so discovery, the login
   * page and every token name this one issuer, for the app and the browser alike.
   */
  proxyPort: 8381,
  proxyControlUrl: "http://127.0.0.1:8382/mode",
  proxyControlPort: 8382,
  keycloakPublicOrigin: "http://localhost:8381",
  issuer: "http://localhost:8381/realms/nextjs",
  /** Instance A: the public URL (Keycloak's redirect and back-channel target). */
  appA: "http://localhost:3301",
  /** Instance B: a second process behind the same public URL, sharing Redis. */
  appB: "http://localhost:3302",
  /** The tier's own build, so it never replaces the build another suite's servers run from. */
  distDir: ".next-keycloak",
  nextAuthSecret: "keycloak-tier-secret-0123456789abcdef0123456789",
  /** Bound of the Keycloak logout handshake in the apps, in ms. */
  logoutTimeoutMs: 1500,
  /** How long a request waits for a refresh in the apps, in ms (a real Keycloak refresh takes tens of ms). */
  refreshWaitMs: 3000,
  keycloakAdmin: { username: "admin", password: "admin" },
  /** /admin needs a password entered this recently (the minimum), so re-authentication happens within a test. */
  reauthMaxAgeS: 10,
  /** Instance C, started and stopped by the durable-logout spec, sharing the tier's Redis. */
  appC: "http://localhost:3303",
  /** Set by the global setup for the specs: the tier's Redis, for instances a spec starts itself. */
  redisUrlEnv: "KEYCLOAK_TIER_REDIS_URL",
  /** Set by the global setup for the specs: the folder holding each app instance's log. */
  logDirEnv: "KEYCLOAK_TIER_LOG_DIR",
} as const;

/** The log file of app instance `name` in the global setup's log folder. */
export function appLogFile(dir: string, name: "a" | "b"): string {
  return path.join(dir, `app-${name}.log`);
}
