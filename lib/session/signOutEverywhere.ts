import type { KeycloakClient } from "../keycloak/keycloakClient";
import { log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";

/**
 * "Sign out everywhere": ends every Keycloak session of the user (Keycloak then sends a back-channel logout for each)
 * and, without waiting for those, every app session of the user on every instance, this one included. If Keycloak
 * refuses or does not answer, the error propagates and nothing is changed.
 */
export async function signOutEverywhere(
  user: { sub: string; accessToken: string },
  deps: { keycloak: KeycloakClient; store: KeyValueStore; sessionMaxAgeS: number },
): Promise<void> {
  await deps.keycloak.endAllAccountSessions(user.accessToken);
  // Every app session of this user signed in until now ends at its next read (lifecycle.ts reads this mark).
  await deps.store.set(storeKeys.revokedSub(user.sub), String(Date.now()), deps.sessionMaxAgeS * 1000);
  log.info("SIGNED_OUT_EVERYWHERE");
}
