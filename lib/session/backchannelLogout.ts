import { AppError, isAppError } from "../errors";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { verifyLogoutToken } from "../keycloak/logoutToken";
import { log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";

/** What a back-channel logout request did. */
export type BackchannelOutcome = { ok: true; sid?: string } | { ok: false; error: AppError };

/**
 * Validates a logout token, refuses a replayed `jti`, and marks every app session of that Keycloak session (`sid`),
 * or without `sid` every session of that user (`sub`) issued until now, as over. Marks live as long as any app
 * session can (`sessionMaxAgeS`). STORE_UNAVAILABLE and ISSUER_KEYS_UNAVAILABLE propagate: nothing was decided.
 */
export async function acceptBackchannelLogout(
  logoutToken: string,
  deps: { keycloak: KeycloakClient; store: KeyValueStore; sessionMaxAgeS: number },
): Promise<BackchannelOutcome> {
  const { keycloak, store } = deps;
  let claims;
  try {
    claims = await verifyLogoutToken(logoutToken, { issuer: keycloak.issuer, clientId: keycloak.clientId, keys: keycloak.signingKeys });
  } catch (error) {
    if (isAppError(error, "LOGOUT_TOKEN_INVALID")) return { ok: false, error };
    throw error;
  }

  const replayTtlMs = Math.max(1000, (claims.exp + 60) * 1000 - Date.now());
  if (!(await store.setIfAbsent(storeKeys.logoutJti(claims.jti), "1", replayTtlMs))) {
    return { ok: false, error: new AppError("LOGOUT_TOKEN_INVALID", "jti already used (replay)") };
  }

  const ttlMs = deps.sessionMaxAgeS * 1000;
  if (claims.sid) await store.set(storeKeys.revokedSid(claims.sid), String(Date.now()), ttlMs);
  else if (claims.sub) await store.set(storeKeys.revokedSub(claims.sub), String(Date.now()), ttlMs);
  log.info("BACKCHANNEL_LOGOUT_ACCEPTED", { by: claims.sid ? "sid" : "sub" });
  return { ok: true, sid: claims.sid };
}
