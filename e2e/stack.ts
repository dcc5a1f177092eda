// Plain TypeScript on purpose: playwright.config.ts imports it before the toolkit (testing/*.mjs) can load.

/** Where the end-to-end stack listens; fixed so specs and the global setup agree. */
export const STACK = {
  idpPort: 8180,
  issuer: "http://localhost:8180/realms/nextjs",
  idpOrigin: "http://localhost:8180",
  /** Instance A: the public URL the browser uses (and Keycloak's redirect and back-channel target). */
  appA: "http://localhost:3101",
  /** Instance B: a second process behind the same public URL, sharing Redis. */
  appB: "http://localhost:3102",
  /** Instance C, started by the restart spec itself: in-memory store, as after a restart. */
  appC: "http://localhost:3103",
  /** Instance D, started by the Redis-outage spec with a Redis of its own. */
  appD: "http://localhost:3104",
  /** Instance E, started and stopped by the durable-logout spec, sharing Redis with A and B. */
  appE: "http://localhost:3106",
  /** `npm run dev` in the dev-server spec, with its own built-in provider. */
  devApp: "http://localhost:3105",
  devIdpPort: 8181,
  /** The secret every instance shares (a test may read its own cookie with it, as a thief with it could). */
  nextAuthSecret: "e2e-secret-0123456789abcdef0123456789abcdef",
  /** Bound of the Keycloak logout handshake in the e2e apps, in ms. */
  logoutTimeoutMs: 1500,
  /** How long a request waits for a refresh in the e2e apps, in ms. */
  refreshWaitMs: 1500,
  /** /admin needs a password entered this recently (the minimum), so re-authentication happens within a test. */
  reauthMaxAgeS: 10,
  /** Access tokens live this long, so refreshes happen within a test. */
  accessTokenTtlS: 15,
} as const;
