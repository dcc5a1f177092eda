import type { JWT } from "next-auth/jwt";
import { describeUnknown, log } from "../log";
import { isAppError } from "../errors";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { keycloakLogout } from "../keycloakLogout";
import type { KeyValueStore } from "../store/keyValueStore";
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
  /** Delays of the background retries after a failed handshake, in ms. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000] as const;

/**
 * next-auth's events.signOut, in the order of a server-side logout: the app session is revoked first (copies of
 * the cookie stop working on every instance), then the Keycloak session is ended with the id_token_hint within the
 * timeout. A failed handshake never blocks the local sign-out: the browser is marked so its next sign-in asks for
 * credentials, and the logout is retried in the background.
 */
export async function federatedSignOut(token: JWT | null | undefined, deps: SignOutDeps): Promise<void> {
  if (!token) return;
  if (token.sessionId) {
    try {
      await deps.store.set(storeKeys.revokedSession(token.sessionId), "signed-out", deps.sessionMaxAgeS * 1000);
      await deps.store.delete(storeKeys.tokens(token.sessionId));
    } catch (error) {
      const facts = isAppError(error, "STORE_UNAVAILABLE") ? { reason: "store unavailable" } : describeUnknown(error);
      log.error("SIGNOUT_REVOKE_FAILED", { session: shortId(token.sessionId), ...facts });
    }
  }
  if (!deps.federated || token.provider !== "keycloak" || !token.id_token) return;

  const result = await keycloakLogout(deps.keycloak, token.id_token);
  if (result.ok) return;

  deps.onKeycloakSessionMayLive?.();
  // A rejected hint will be rejected again; anything else may heal.
  if (result.reason !== "REJECTED") {
    scheduleRetries(
      { keycloak: deps.keycloak, idToken: token.id_token, sid: token.sid, signedOutAt: Date.now(), store: deps.store },
      deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    );
  }
}

interface PendingLogout {
  keycloak: KeycloakClient;
  idToken: string;
  sid: string | undefined;
  signedOutAt: number;
  store: KeyValueStore;
}

/** True when the user signed in again into the same Keycloak session since: the old logout must not end it. */
async function signedInAgain({ sid, signedOutAt, store }: PendingLogout): Promise<boolean> {
  if (!sid) return false;
  const at = await store.get(storeKeys.sidSignedIn(sid)).catch(() => null);
  return at !== null && Number(at) > signedOutAt;
}

function scheduleRetries(pending: PendingLogout, delaysMs: readonly number[]): void {
  const [delay, ...rest] = delaysMs;
  if (delay === undefined) {
    log.error("KEYCLOAK_LOGOUT_GAVE_UP", { issuer: pending.keycloak.issuer, hint: "the next sign-in from that browser still asks for credentials" });
    return;
  }
  const timer = setTimeout(async () => {
    if (await signedInAgain(pending)) {
      log.info("KEYCLOAK_LOGOUT_RETRY_DROPPED", { reason: "signed in again" });
      return;
    }
    const result = await keycloakLogout(pending.keycloak, pending.idToken);
    if (!result.ok && result.reason !== "REJECTED") scheduleRetries(pending, rest);
  }, delay);
  timer.unref();
}
