import axios from "axios";
import { discover } from "./oidcDiscovery";
import { log } from "./log";

/** Everything the Keycloak logout needs; nothing is read from the environment here. */
export interface KeycloakLogoutParams {
  /** Realm issuer, e.g. http://localhost:8080/realms/nextjs. */
  issuer: string;
  /** The ID token Keycloak issued for the session to end (expired ones are accepted by Keycloak). */
  idToken: string;
  clientId: string;
  /** Bound for discovery plus the logout request together. */
  timeoutMs: number;
}

/** Why a logout handshake did not confirm the end of the Keycloak session. */
export type KeycloakLogoutFailure = "TIMEOUT" | "NETWORK" | "REJECTED" | "SERVER_ERROR" | "DISCOVERY";

/** Outcome of one handshake; `ms` is its duration. */
export type KeycloakLogoutResult =
  | { ok: true; status: number; ms: number }
  | { ok: false; reason: KeycloakLogoutFailure; status?: number; ms: number };

/**
 * Ends the Keycloak SSO session server-side: a form POST of `id_token_hint` to the issuer's
 * end_session_endpoint (a POST keeps the token out of access logs). 200 or a 3xx (not followed)
 * is success, as Keycloak 26 answers; anything else, a network error or the timeout is a failure. Never throws; logs
 * one line without the token.
 */
export async function keycloakLogout(params: KeycloakLogoutParams): Promise<KeycloakLogoutResult> {
  const started = Date.now();
  const signal = AbortSignal.timeout(params.timeoutMs);
  const result = await attempt(params, signal, started);
  const facts = { issuer: params.issuer, ms: result.ms, status: result.status };
  if (result.ok) log.info("KEYCLOAK_LOGOUT_OK", facts);
  else log.warn("KEYCLOAK_LOGOUT_FAILED", { reason: result.reason, ...facts });
  return result;
}

async function attempt(
  params: KeycloakLogoutParams,
  signal: AbortSignal,
  started: number,
): Promise<KeycloakLogoutResult> {
  const elapsed = () => Date.now() - started;

  let endpoint: string | undefined;
  try {
    endpoint = (await discover(params.issuer, signal)).end_session_endpoint;
  } catch {
    return { ok: false, reason: signal.aborted ? "TIMEOUT" : "DISCOVERY", ms: elapsed() };
  }
  if (!endpoint) return { ok: false, reason: "DISCOVERY", ms: elapsed() };

  try {
    const response = await axios.post(
      endpoint,
      new URLSearchParams({ id_token_hint: params.idToken, client_id: params.clientId }).toString(),
      {
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        maxRedirects: 0,
        responseType: "text",
        validateStatus: () => true,
        signal,
      },
    );
    const status = response.status;
    // Keycloak answers a hinted logout with 200, or 302 to a post-logout redirect (not followed).
    if (status === 200 || (status >= 300 && status < 400)) {
      return { ok: true, status, ms: elapsed() };
    }
    return { ok: false, reason: status >= 500 ? "SERVER_ERROR" : "REJECTED", status, ms: elapsed() };
  } catch {
    return { ok: false, reason: signal.aborted ? "TIMEOUT" : "NETWORK", ms: elapsed() };
  }
}
