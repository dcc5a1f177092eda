import type { JWT } from "next-auth/jwt";
import type { Clock } from "../clock";
import type { KeycloakClientConfig } from "../keycloak/keycloakClient";
import { keycloakLogout } from "../keycloakLogout";
import { describeError, log, shortId } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import type { LogoutQueue } from "./logoutQueue";
import type { Revocation } from "./revocation";
import { storeKeys } from "./storeKeys";

/** How much longer than the handshake's bound the under-way mark is kept (a back-channel call still in flight), ms. */
const UNDER_WAY_MARGIN_MS = 5000;

/** What a sign-out did at Keycloak. */
export type SignOutOutcome =
  /** Keycloak confirmed the end of its session. */
  | { keycloak: "ended" }
  /** No Keycloak handshake: federated logout is off, the session is not Keycloak's, or there is no cookie. */
  | { keycloak: "skipped" }
  /** This app session had already been signed out (a replayed cookie): nothing was sent, nothing queued. */
  | { keycloak: "already-signed-out" }
  /** Keycloak did not confirm; its session may live on. `queued`: another try will come. */
  | { keycloak: "may-live"; queued: boolean };

/** What a sign-out works with. */
export interface SignOutDeps {
  keycloak: Pick<KeycloakClientConfig, "issuer" | "clientId" | "logoutTimeoutMs">;
  revocation: Revocation;
  queue: LogoutQueue;
  /** Where the sign-out says it is under way, for the back-channel logout it causes (lib/session/backchannelLogout.ts). */
  store: KeyValueStore;
  clock: Clock;
  /** False turns the Keycloak handshake off (the local sign-out still happens). */
  federated: boolean;
}

/**
 * A sign-out, in the order of a server-side logout (Duende BFF's DefaultLogoutService): the app session is revoked
 * first (copies of the cookie stop working on every instance), then the Keycloak session is ended with the
 * id_token_hint within the timeout. A failed handshake never blocks the local sign-out: it is queued for retries
 * by whichever instance is alive, and the caller is told Keycloak's session may live (the browser is then marked
 * so its next sign-in asks for credentials). A replayed sign-out of a revoked session does nothing more.
 */
export async function signOut(token: JWT | null | undefined, deps: SignOutDeps): Promise<SignOutOutcome> {
  if (!token) return { keycloak: "skipped" };
  let announce: (() => void) | undefined;
  try {
    if (token.sessionId) {
      try {
        const revoked = await deps.revocation.revoke({ sessionId: token.sessionId }, "signed-out", { deferAnnouncement: true });
        announce = revoked.announce;
        // A sign-out already ended (or queued the end of) this Keycloak session: a replay does nothing more. A session
        // that ended otherwise (its refresh refused, say) may still have a live Keycloak session: that one goes on.
        if (!revoked.first && (revoked.previous === "signed-out" || revoked.previous === undefined)) {
          log.info("SIGNOUT_REPEATED", { session: shortId(token.sessionId), behaviour: "already signed out; nothing sent to Keycloak" });
          return { keycloak: "already-signed-out" };
        }
      } catch (error) {
        // Not an outage (that is kept by the revocation core) but a bug: ending Keycloak's session still ends this
        // one at its next refresh, so the handshake goes on.
        log.error("SIGNOUT_REVOKE_FAILED", { session: shortId(token.sessionId), ...describeError(error) });
      }
    }
    return await endKeycloakSession(token, deps);
  } finally {
    // The browser's other tabs are told once this sign-out is over and this tab is on its way to the signed-out page.
    announce?.();
  }
}

async function endKeycloakSession(token: JWT, deps: SignOutDeps): Promise<SignOutOutcome> {
  if (!deps.federated || token.provider !== "keycloak" || !token.id_token) return { keycloak: "skipped" };

  // Keycloak sends its back-channel logout for this session while the handshake runs: that one is this sign-out,
  // not an administrator's, and this sign-out tells the browser's tabs itself once it is over.
  const underWay = token.sid ? storeKeys.signOutUnderWay(token.sid) : undefined;
  if (underWay) await deps.store.set(underWay, "1", deps.keycloak.logoutTimeoutMs + UNDER_WAY_MARGIN_MS).catch(() => undefined);
  let result;
  try {
    result = await keycloakLogout(deps.keycloak, token.id_token);
  } finally {
    if (underWay) await deps.store.delete(underWay).catch(() => undefined);
  }
  if (result.ok) return { keycloak: "ended" };
  // A rejected hint will be rejected again; anything else may heal.
  if (result.reason === "REJECTED") return { keycloak: "may-live", queued: false };
  try {
    const { stored } = await deps.queue.enqueue({ idToken: token.id_token, sid: token.sid, signedOutAt: deps.clock.nowMs() });
    return { keycloak: "may-live", queued: stored };
  } catch (error) {
    log.error("KEYCLOAK_LOGOUT_NOT_QUEUED", { ...describeError(error), behaviour: "the browser's next sign-in still asks for credentials" });
    return { keycloak: "may-live", queued: false };
  }
}
