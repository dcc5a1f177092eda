import type { KeycloakClient } from "../keycloak/keycloakClient";
import { log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import type { Revocation } from "./revocation";
import { storeKeys } from "./storeKeys";

/** Keycloak sends its back-channel logouts while the Account API call runs: this covers them, in ms. */
const UNDER_WAY_TTL_MS = 30_000;

/**
 * "Sign out everywhere": ends every Keycloak session of the user (Keycloak then sends a back-channel logout for each)
 * and, without waiting for those, every app session of the user on every instance, this one included. If Keycloak
 * refuses or does not answer, the error propagates and nothing is changed.
 */
export async function signOutEverywhere(
  user: { sub: string; accessToken: string },
  deps: { keycloak: KeycloakClient; revocation: Revocation; store: KeyValueStore },
): Promise<void> {
  // So the back-channel logouts Keycloak sends meanwhile end the sessions with this reason, not "keycloak-logout".
  const underWay = storeKeys.everywhereUnderWay(user.sub);
  await deps.store.set(underWay, "1", UNDER_WAY_TTL_MS).catch(() => undefined);
  try {
    await deps.keycloak.endAllAccountSessions(user.accessToken);
    await deps.revocation.revoke({ sub: user.sub }, "signed-out-everywhere");
  } finally {
    // Keycloak sends its back-channel logouts before the Account API answers: an admin logout later is its own.
    await deps.store.delete(underWay).catch(() => undefined);
  }
  log.info("SIGNED_OUT_EVERYWHERE");
}
