import { log } from "./log";
import { LogoutTokenError, verifyLogoutToken, type LogoutTokenExpectations } from "./logoutToken";
import { sessionKeys } from "./sessionKeys";
import type { SessionStore } from "./sessionStore";

/** What a back-channel logout request did. */
export type BackchannelOutcome = { ok: true; sid?: string } | { ok: false; error: LogoutTokenError };

/**
 * Validates a logout token, refuses a replayed `jti`, and marks every app session of that Keycloak
 * session (`sid`), or without `sid` every session of that user (`sub`) issued until now, as over.
 * Marks live as long as any app session can (`sessionMaxAgeS`). StoreUnavailableError propagates.
 */
export async function acceptBackchannelLogout(
  logoutToken: string,
  expected: LogoutTokenExpectations,
  store: SessionStore,
  sessionMaxAgeS: number,
): Promise<BackchannelOutcome> {
  let claims;
  try {
    claims = await verifyLogoutToken(logoutToken, expected);
  } catch (error) {
    if (error instanceof LogoutTokenError) return { ok: false, error };
    throw error;
  }

  const replayTtlMs = Math.max(1000, (claims.exp + 60) * 1000 - Date.now());
  if (!(await store.setIfAbsent(sessionKeys.logoutJti(claims.jti), "1", replayTtlMs))) {
    return { ok: false, error: new LogoutTokenError("jti already used (replay)") };
  }

  const ttlMs = sessionMaxAgeS * 1000;
  if (claims.sid) await store.set(sessionKeys.revokedSid(claims.sid), String(Date.now()), ttlMs);
  else if (claims.sub) await store.set(sessionKeys.revokedSub(claims.sub), String(Date.now()), ttlMs);
  log.info("BACKCHANNEL_LOGOUT_ACCEPTED", { by: claims.sid ? "sid" : "sub" });
  return { ok: true, sid: claims.sid };
}
