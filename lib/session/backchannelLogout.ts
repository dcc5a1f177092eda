import { AppError, isAppError } from "../errors";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { verifyLogoutToken } from "../keycloak/logoutToken";
import { log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import type { Revocation } from "./revocation";
import { storeKeys } from "./storeKeys";

/** How long a back-channel logout caused by a sign-out leaves the announcement to that sign-out, in ms. */
export const SIGN_OUT_ANNOUNCEMENT_FALLBACK_MS = 2000;

/** What a back-channel logout request did. */
export type BackchannelOutcome = { ok: true; sid?: string; recorded: "store" | "instance" } | { ok: false; error: AppError };

/**
 * Validates a logout token (OpenID Connect Back-Channel Logout 1.0 §2.6), refuses a replayed `jti`, and ends every
 * app session of that Keycloak session (`sid`), or without `sid` every session of that user (`sub`) signed in until
 * now. The revocation is written before the replay mark: if the store fails between the two, Keycloak's redelivery
 * is not refused as a replay. A store that is down does not lose the revocation (lib/session/revocation.ts); a
 * replay mark that cannot be read or written is skipped, since ending the same sessions twice changes nothing.
 * ISSUER_KEYS_UNAVAILABLE propagates: nothing was decided.
 */
export async function acceptBackchannelLogout(
  logoutToken: string,
  deps: { keycloak: KeycloakClient; store: KeyValueStore; revocation: Revocation },
): Promise<BackchannelOutcome> {
  const { keycloak, store } = deps;
  let claims;
  try {
    claims = await verifyLogoutToken(logoutToken, { issuer: keycloak.issuer, clientId: keycloak.clientId, keys: keycloak.signingKeys });
  } catch (error) {
    if (isAppError(error, "LOGOUT_TOKEN_INVALID")) return { ok: false, error };
    throw error;
  }

  const jtiKey = storeKeys.logoutJti(claims.jti);
  const seen = await bestEffort(() => store.get(jtiKey));
  if (seen !== null && seen !== undefined) {
    return { ok: false, error: new AppError("LOGOUT_TOKEN_INVALID", "jti already used (replay)") };
  }
  const target = claims.sid ? { sid: claims.sid } : { sub: claims.sub as string };
  // Caused by this user's own "Sign out everywhere" (lib/session/signOutEverywhere.ts), or by a sign-out of this app
  // (lib/session/signOut.ts): the session ends with that reason. A sign-out tells the browser's tabs itself once it
  // is over; this revocation is announced only later, in case that sign-out never gets there (its instance stopped).
  const everywhere = claims.sub ? await bestEffort(() => store.get(storeKeys.everywhereUnderWay(claims.sub as string))) : null;
  const signingOut = !everywhere && claims.sid ? await bestEffort(() => store.get(storeKeys.signOutUnderWay(claims.sid as string))) : null;
  const reason = everywhere ? "signed-out-everywhere" : signingOut ? "signed-out" : "keycloak-logout";
  const { recorded, announce } = await deps.revocation.revoke(target, reason, { deferAnnouncement: Boolean(signingOut) });
  // A second announcement changes nothing: a live stream ends once.
  if (announce) setTimeout(announce, SIGN_OUT_ANNOUNCEMENT_FALLBACK_MS).unref();
  const replayTtlMs = Math.max(1000, (claims.exp + 60) * 1000 - Date.now());
  await bestEffort(() => store.setIfAbsent(jtiKey, "1", replayTtlMs));
  log.info("BACKCHANNEL_LOGOUT_ACCEPTED", { by: claims.sid ? "sid" : "sub", recorded });
  return { ok: true, sid: claims.sid, recorded };
}

/** The store's answer, or undefined while it is down. */
async function bestEffort<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isAppError(error, "STORE_UNAVAILABLE")) return undefined;
    throw error;
  }
}
