/**
 * Upper bound of an app session, counted from sign-in: Keycloak's default SSO session max (10 h). The session
 * really ends earlier, with the Keycloak session's refresh token (idle 30 min by default): see lifecycle.ts.
 */
export const SESSION_MAX_AGE_S = 10 * 60 * 60;

/**
 * When a session ends whatever else happens: sign-in plus the maximum age. The one definition behind the lifecycle's
 * check, the session's `expires`, the cookie's `exp` and expiry, and the end a live stream announces. Cookie fields
 * are whole seconds: they take `Math.floor(ms / 1000)`, never later than this.
 */
export function absoluteEndMs(signedInAtMs: number, maxAgeS: number): number {
  return signedInAtMs + maxAgeS * 1000;
}

/**
 * The refresh request itself may take this long, longer than a request waits for it: with single-use refresh
 * tokens, abandoning a refresh that Keycloak completes would leave only a spent token behind.
 */
export const REFRESH_REQUEST_TIMEOUT_MS = 30_000;

/** How often each instance runs its background work (pending Keycloak logouts, revocations kept while the store was down). */
export const BACKGROUND_TICK_MS = 1000;
