import axios from "axios";
import { AppError } from "../errors";

const USERINFO_TIMEOUT_MS = 3000;

/** The claims of Keycloak's userinfo answer the app reads. */
export interface UserInfo {
  sub?: string;
  name?: string;
  email?: string;
  preferred_username?: string;
}

/**
 * The user's claims from the issuer's userinfo_endpoint, with their access token. Throws KEYCLOAK_UNAVAILABLE when
 * Keycloak does not answer in time or refuses (the access token was fresh, so a refusal is Keycloak's trouble).
 */
export async function fetchUserinfo(endpoint: string | undefined, accessToken: string): Promise<UserInfo> {
  if (!endpoint) throw new AppError("KEYCLOAK_UNAVAILABLE", "The discovery document names no userinfo_endpoint");
  try {
    const response = await axios.get<UserInfo>(endpoint, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(USERINFO_TIMEOUT_MS),
      maxRedirects: 0,
    });
    return response.data;
  } catch (error) {
    const status = axios.isAxiosError(error) ? error.response?.status : undefined;
    throw new AppError("KEYCLOAK_UNAVAILABLE", `Keycloak's userinfo endpoint failed${status ? ` (${status})` : ""}`, { cause: error });
  }
}
