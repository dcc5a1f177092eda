import type { KeycloakClient } from "./keycloak/keycloakClient";
import type { EndSessionResult } from "./keycloak/endSession";
import { log } from "./log";

export type { EndSessionFailure as KeycloakLogoutFailure, EndSessionResult as KeycloakLogoutResult } from "./keycloak/endSession";

/**
 * Ends the Keycloak SSO session server-side: `id_token_hint` to the issuer's end_session_endpoint, bounded by the
 * client's logout timeout (see lib/keycloak/endSession.ts). Never throws; logs one line, without the token.
 */
export async function keycloakLogout(keycloak: KeycloakClient, idToken: string): Promise<EndSessionResult> {
  const result = await keycloak.endSession(idToken);
  const facts = { issuer: keycloak.issuer, ms: result.ms, status: result.status };
  if (result.ok) log.info("KEYCLOAK_LOGOUT_OK", facts);
  else log.warn("KEYCLOAK_LOGOUT_FAILED", { reason: result.reason, ...facts, cause: causeOf(result) });
  return result;
}

/** A cause's name and message for the log line (an axios error's message never holds the request body). */
function causeOf(result: EndSessionResult): string | undefined {
  if (result.ok || !result.cause) return undefined;
  const cause = result.cause as { code?: string; message?: string };
  return cause.code ?? cause.message;
}
