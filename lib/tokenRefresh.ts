import axios from "axios";
import { discover } from "./oidcDiscovery";

/** A successful refresh_token grant, with expiries as epoch seconds. */
export interface RefreshedTokens {
  accessToken: string;
  /** When the access token expires (epoch s). */
  expiresAt: number;
  /** Keycloak rotates it when "Revoke Refresh Token" is on; otherwise the same value comes back. */
  refreshToken: string;
  /** When the refresh token (and so the SSO session's idle window) ends (epoch s), if Keycloak said. */
  refreshExpiresAt?: number;
}

/**
 * The provider refused or could not perform the refresh. `INVALID_GRANT` (400 invalid_grant) means the
 * Keycloak session is over (callers end the app session); `UNAVAILABLE` is everything else (network,
 * timeout, other statuses), retried on the next request.
 */
export class RefreshError extends Error {
  constructor(
    readonly code: "INVALID_GRANT" | "UNAVAILABLE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RefreshError";
  }
}

/** Inputs of one refresh_token grant; nothing is read from the environment here. */
export interface RefreshParams {
  issuer: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_expires_in?: number;
  error?: string;
}

/** Performs the refresh_token grant at the issuer's token endpoint (client_secret_post). */
export async function refreshTokens(params: RefreshParams): Promise<RefreshedTokens> {
  const signal = AbortSignal.timeout(params.timeoutMs);
  let tokenEndpoint: string;
  try {
    tokenEndpoint = (await discover(params.issuer, signal)).token_endpoint;
  } catch (error) {
    throw new RefreshError("UNAVAILABLE", "Discovery failed before the refresh", { cause: error });
  }

  let status: number;
  let body: TokenResponse;
  try {
    const response = await axios.post<TokenResponse>(
      tokenEndpoint,
      new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: params.refreshToken,
        client_id: params.clientId,
        client_secret: params.clientSecret,
      }).toString(),
      {
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        validateStatus: () => true,
        maxRedirects: 0,
        signal,
      },
    );
    status = response.status;
    body = typeof response.data === "object" && response.data !== null ? response.data : {};
  } catch (error) {
    throw new RefreshError("UNAVAILABLE", signal.aborted ? "Refresh timed out" : "Refresh request failed", {
      cause: error,
    });
  }

  if (status >= 200 && status < 300 && body.access_token && body.expires_in) {
    const now = Math.floor(Date.now() / 1000);
    return {
      accessToken: body.access_token,
      expiresAt: now + body.expires_in,
      refreshToken: body.refresh_token ?? params.refreshToken,
      refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in : undefined,
    };
  }
  if (status === 400 && body.error === "invalid_grant") {
    throw new RefreshError("INVALID_GRANT", "The provider refused the refresh token (session not active)");
  }
  // Anything else (a proxy's 429 or 404, invalid_client while a rotated secret is rolled out, 5xx) says
  // nothing about this session: keep it, and try again on the next request.
  throw new RefreshError("UNAVAILABLE", `The token endpoint answered ${status}${body.error ? ` ${body.error}` : ""}`);
}
