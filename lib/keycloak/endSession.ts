import axios from "axios";
import { discover } from "./discovery";

/** Why a logout handshake did not confirm the end of the Keycloak session. */
export type EndSessionFailure = "TIMEOUT" | "NETWORK" | "REJECTED" | "SERVER_ERROR" | "DISCOVERY";

/** Outcome of one handshake; `ms` is its duration. */
export type EndSessionResult =
  | { ok: true; status: number; ms: number }
  | { ok: false; reason: EndSessionFailure; status?: number; ms: number; cause?: unknown };

/** The client identity a logout names, and its time bound. */
export interface EndSessionClient {
  issuer: string;
  clientId: string;
  /** Bound for discovery plus the logout request together. */
  logoutTimeoutMs: number;
}

/**
 * One RP-initiated logout: a form POST of `id_token_hint` and `client_id` to the issuer's end_session_endpoint (a
 * POST keeps the token out of access logs). 200 or a 3xx (not followed) is success, as Keycloak 26 answers a hinted
 * logout; anything else, a network error or the timeout is a failure. Never throws, never logs.
 */
export async function endSession(client: EndSessionClient, idToken: string): Promise<EndSessionResult> {
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
