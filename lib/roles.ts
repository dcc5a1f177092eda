import { decodeJwt } from "jose";

interface KeycloakAccessClaims {
  realm_access?: { roles?: unknown };
  resource_access?: Record<string, { roles?: unknown } | undefined>;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

/**
 * Realm roles plus this client's roles from a Keycloak access token, de-duplicated and sorted.
 * The token came straight from the token endpoint over the back channel, so its claims are read,
 * not re-verified.
 */
export function rolesFromAccessToken(accessToken: string, clientId: string): string[] {
  let claims: KeycloakAccessClaims;
  try {
    claims = decodeJwt(accessToken) as KeycloakAccessClaims;
  } catch {
    return [];
  }
  const realm = strings(claims.realm_access?.roles);
  const client = strings(claims.resource_access?.[clientId]?.roles);
  return [...new Set([...realm, ...client])].sort();
}
