import type { ServerResponse } from "node:http";
import type { JWT } from "next-auth/jwt";
import { keycloakLogout, type KeycloakLogoutParams } from "./keycloakLogout";
import { log } from "./log";
import { markReauthRequired } from "./reauthMarker";
import { sessionKeys } from "./sessionKeys";
import type { SessionStore } from "./sessionStore";
import { shortId } from "./sessionLifecycle";

/** What a sign-out needs besides the session's own token. */
export interface FederatedSignOutConfig {
  store: SessionStore;
  issuer: string;
  clientId: string;
  timeoutMs: number;
  /** False turns the Keycloak handshake off (the local sign-out still happens). */
  federated: boolean;
  /** Secure cookies (https NEXTAUTH_URL). */
  secureCookies: boolean;
  sessionMaxAgeS: number;
  /** Delays of the background retries after a failed handshake, in ms. */
  retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000] as const;

/**
 * next-auth's events.signOut, in the order of a server-side logout: the app session is revoked first
 * (copies of the cookie stop working on every instance), then the Keycloak session is ended with the
 * id_token_hint within the timeout. A failed handshake never blocks the local sign-out: this browser
 * is marked so its next sign-in asks for credentials, and the logout is retried in the background.
 */
export async function federatedSignOut(
  token: JWT | null | undefined,
  res: ServerResponse | undefined,
  config: FederatedSignOutConfig,
): Promise<void> {
  if (!token) return;
  if (token.sessionId) {
    try {
      await config.store.set(sessionKeys.revokedSession(token.sessionId), "signed-out", config.sessionMaxAgeS * 1000);
      await config.store.delete(sessionKeys.tokens(token.sessionId));
    } catch {
      log.error("SIGNOUT_REVOKE_FAILED", { session: shortId(token.sessionId), reason: "store unavailable" });
    }
  }
  if (!config.federated || token.provider !== "keycloak" || !token.id_token) return;

  const params: KeycloakLogoutParams = {
    issuer: config.issuer,
    idToken: token.id_token,
    clientId: config.clientId,
    timeoutMs: config.timeoutMs,
  };
  const result = await keycloakLogout(params);
  if (result.ok) return;

  if (res) markReauthRequired(res, config.secureCookies);
  // A rejected hint will be rejected again; anything else may heal.
  if (result.reason !== "REJECTED") {
    scheduleRetries({ params, sid: token.sid, signedOutAt: Date.now(), store: config.store }, config.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
  }
}

interface PendingLogout {
  params: KeycloakLogoutParams;
  sid: string | undefined;
  signedOutAt: number;
  store: SessionStore;
}

/** True when the user signed in again into the same Keycloak session since: the old logout must not end it. */
async function signedInAgain({ sid, signedOutAt, store }: PendingLogout): Promise<boolean> {
  if (!sid) return false;
  const at = await store.get(sessionKeys.sidSignedIn(sid)).catch(() => null);
  return at !== null && Number(at) > signedOutAt;
}

function scheduleRetries(pending: PendingLogout, delaysMs: readonly number[]): void {
  const [delay, ...rest] = delaysMs;
  if (delay === undefined) {
    log.error("KEYCLOAK_LOGOUT_GAVE_UP", { issuer: pending.params.issuer, hint: "the next sign-in from that browser still asks for credentials" });
    return;
  }
  const timer = setTimeout(async () => {
    if (await signedInAgain(pending)) {
      log.info("KEYCLOAK_LOGOUT_RETRY_DROPPED", { reason: "signed in again" });
      return;
    }
    const result = await keycloakLogout(pending.params);
    if (!result.ok && result.reason !== "REJECTED") scheduleRetries(pending, rest);
  }, delay);
  timer.unref();
}
