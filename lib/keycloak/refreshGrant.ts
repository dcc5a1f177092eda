import axios from "axios";
import { AppError } from "../errors";
import { discover } from "./discovery";

/** A successful refresh_token grant, with expiries as epoch seconds. */
export interface RefreshedTokens {
  accessToken: string;
  /** When the access token expires (epoch s). */
  expiresAt: number;
  /** The access token's lifetime as Keycloak announced it (s): sets how early the next refresh happens. */
  lifetimeS: number;
  /** Keycloak rotates it when "Revoke Refresh Token" is on; otherwise the same value comes back. */
  refreshToken: string;
  /** When the refresh token (and so the SSO session's idle window) ends (epoch s), if Keycloak said. */
  refreshExpiresAt?: number;
}

/** The client identity a grant authenticates with, and its time bound. */
export interface RefreshClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
  refreshTimeoutMs: number;
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_expires_in?: number;
  error?: string;
}

/**
 * Performs the refresh_token grant at the issuer's token endpoint (client_secret_post). Throws REFRESH_REFUSED
 * for 400 invalid_grant (the Keycloak session is over) and REFRESH_UNAVAILABLE for anything else.
 */
export async function refreshGrant(client: RefreshClient, refreshToken: string): Promise<RefreshedTokens> {
  const signal = AbortSignal.timeout(client.refreshTimeoutMs);
  let tokenEndpoint: string;
  try {
    tokenEndpoint = (await discover(client.issuer, signal)).token_endpoint;
  } catch (error) {
    throw new AppError("REFRESH_UNAVAILABLE", "Discovery failed before the refresh", { cause: error });
  }

  let status: number;
  let body: TokenResponse;
  try {
    const response = await axios.post<TokenResponse>(
      tokenEndpoint,
      new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: client.clientId,
        client_secret: client.clientSecret,
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
    throw new AppError("REFRESH_UNAVAILABLE", signal.aborted ? "Refresh timed out" : "Refresh request failed", {
      cause: error,
    });
  }

  if (status >= 200 && status < 300 && body.access_token && body.expires_in) {
    const now = Math.floor(Date.now() / 1000);
    return {
      accessToken: body.access_token,
      expiresAt: now + body.expires_in,
      lifetimeS: body.expires_in,
      refreshToken: body.refresh_token ?? refreshToken,
      refreshExpiresAt: body.refresh_expires_in ? now + body.refresh_expires_in : undefined,
    };
  }
  if (status === 400 && body.error === "invalid_grant") {
    throw new AppError("REFRESH_REFUSED", "The provider refused the refresh token (session not active)");
  }
  // Anything else (a proxy's 429 or 404, invalid_client while a rotated secret is rolled out, 5xx) says
  // nothing about this session: keep it, and try again on the next request.
  throw new AppError("REFRESH_UNAVAILABLE", `The token endpoint answered ${status}${body.error ? ` ${body.error}` : ""}`);
}
