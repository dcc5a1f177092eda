import axios from "axios";
import { discover } from "./keycloak/discovery";
import type { KeycloakClientConfig } from "./keycloak/keycloakClient";
import { log } from "./log";

/** Why a logout handshake did not confirm the end of the Keycloak session. */
export type KeycloakLogoutFailure = "TIMEOUT" | "NETWORK" | "REJECTED" | "SERVER_ERROR" | "DISCOVERY";

/** Outcome of one handshake; `ms` is its duration. */
export type KeycloakLogoutResult =
  | { ok: true; status: number; ms: number }
  | { ok: false; reason: KeycloakLogoutFailure; status?: number; ms: number; cause?: unknown };

/**
 * Ends the Keycloak SSO session server-side (OpenID Connect RP-Initiated Logout 1.0): a form POST of `id_token_hint`
 * and `client_id` to the issuer's end_session_endpoint (a POST keeps the token out of access logs), discovery and
 * request together bounded by `logoutTimeoutMs`. 200 or a 3xx (not followed) is success, as Keycloak 26 answers a
 * hinted logout; anything else, a network error or the timeout is a failure. Never throws; logs one line, without
 * the token.
 */
export async function keycloakLogout(
  client: Pick<KeycloakClientConfig, "issuer" | "clientId" | "logoutTimeoutMs">,
  idToken: string,
): Promise<KeycloakLogoutResult> {
  const result = await endSession(client, idToken);
  const facts = { issuer: client.issuer, ms: result.ms, status: result.status };
  if (result.ok) log.info("KEYCLOAK_LOGOUT_OK", facts);
  else log.warn("KEYCLOAK_LOGOUT_FAILED", { reason: result.reason, ...facts, cause: causeOf(result) });
  return result;
}

async function endSession(
  client: Pick<KeycloakClientConfig, "issuer" | "clientId" | "logoutTimeoutMs">,
  idToken: string,
): Promise<KeycloakLogoutResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const signal = AbortSignal.timeout(client.logoutTimeoutMs);

  let endpoint: string | undefined;
  try {
    endpoint = (await discover(client.issuer, signal)).end_session_endpoint;
  } catch (cause) {
    return { ok: false, reason: signal.aborted ? "TIMEOUT" : "DISCOVERY", ms: elapsed(), cause };
  }
  if (!endpoint) return { ok: false, reason: "DISCOVERY", ms: elapsed() };

  try {
    const response = await axios.post(
      endpoint,
      new URLSearchParams({ id_token_hint: idToken, client_id: client.clientId }).toString(),
      {
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        maxRedirects: 0,
        responseType: "text",
        validateStatus: () => true,
        signal,
      },
    );
    const status = response.status;
    if (status === 200 || (status >= 300 && status < 400)) return { ok: true, status, ms: elapsed() };
    return { ok: false, reason: status >= 500 ? "SERVER_ERROR" : "REJECTED", status, ms: elapsed() };
  } catch (cause) {
    return { ok: false, reason: signal.aborted ? "TIMEOUT" : "NETWORK", ms: elapsed(), cause };
  }
}

/** A cause's code or message for the log line (an axios error's message never holds the request body). */
function causeOf(result: KeycloakLogoutResult): string | undefined {
  if (result.ok || !result.cause) return undefined;
  const cause = result.cause as { code?: string; message?: string };
  return cause.code ?? cause.message;
}
