import type { KeycloakClient } from "../keycloak/keycloakClient";
import { log } from "../log";
import type { Revocation } from "./revocation";

/**
 * "Sign out everywhere": ends every Keycloak session of the user (Keycloak then sends a back-channel logout for each)
 * and, without waiting for those, every app session of the user on every instance, this one included. If Keycloak
 * refuses or does not answer, the error propagates and nothing is changed.
 */
export async function signOutEverywhere(
  user: { sub: string; accessToken: string },
  deps: { keycloak: KeycloakClient; revocation: Revocation },
): Promise<void> {
  await deps.keycloak.endAllAccountSessions(user.accessToken);
  await deps.revocation.revoke({ sub: user.sub }, "signed-out-everywhere");
  log.info("SIGNED_OUT_EVERYWHERE");
}
