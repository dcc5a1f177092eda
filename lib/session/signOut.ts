import type { JWT } from "next-auth/jwt";
import { describeError, log } from "../log";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { keycloakLogout } from "../keycloakLogout";
import type { KeyValueStore } from "../store/keyValueStore";
import { enqueueLogout } from "./logoutQueue";
import { shortId } from "./sessionPolicy";
import { storeKeys } from "./storeKeys";

/** What a sign-out works with besides the session's own token. */
export interface SignOutDeps {
  keycloak: KeycloakClient;
  store: KeyValueStore;
  /** False turns the Keycloak handshake off (the local sign-out still happens). */
  federated: boolean;
  sessionMaxAgeS: number;
  /** Called when Keycloak's session may still be alive: the browser is marked for re-authentication. */
  onKeycloakSessionMayLive?: () => void;
}

/**
 * next-auth's events.signOut, in the order of a server-side logout: the app session is revoked first (copies of
 * the cookie stop working on every instance), then the Keycloak session is ended with the id_token_hint within the
 * timeout. A failed handshake never blocks the local sign-out: the browser is marked so its next sign-in asks for
 * credentials, and the logout is queued in the store for retries by whichever instance is alive (logoutQueue.ts).
 */
export async function federatedSignOut(token: JWT | null | undefined, deps: SignOutDeps): Promise<void> {
  if (!token) return;
  if (token.sessionId) {
    try {
      await deps.store.set(storeKeys.revokedSession(token.sessionId), "signed-out", deps.sessionMaxAgeS * 1000);
      await deps.store.delete(storeKeys.tokens(token.sessionId));
    } catch (error) {
      log.error("SIGNOUT_REVOKE_FAILED", { session: shortId(token.sessionId), ...describeError(error) });
    }
  }
  if (!deps.federated || token.provider !== "keycloak" || !token.id_token) return;

  const result = await keycloakLogout(deps.keycloak, token.id_token);
  if (result.ok) return;

  deps.onKeycloakSessionMayLive?.();
  // A rejected hint will be rejected again; anything else may heal.
  if (result.reason !== "REJECTED") {
    try {
      await enqueueLogout({ idToken: token.id_token, sid: token.sid, signedOutAt: Date.now() }, deps);
    } catch (error) {
      log.error("KEYCLOAK_LOGOUT_NOT_QUEUED", { ...describeError(error), behaviour: "the browser's next sign-in still asks for credentials" });
    }
  }
}
