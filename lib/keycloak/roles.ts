import { decodeJwt } from "jose";

interface KeycloakAccessClaims {
  realm_access?: { roles?: unknown };
  resource_access?: Record<string, { roles?: unknown } | undefined>;
}

/** A user's Keycloak roles, kept apart: a client role named like a realm role is a different role. */
export interface KeycloakRoles {
  /** Realm roles (`realm_access.roles`). */
  realm: string[];
  /** This client's roles (`resource_access.<client id>.roles`). */
  client: string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? [...new Set(value.filter((item): item is string => typeof item === "string"))].sort() : [];

/**
 * Realm roles and this client's roles from a Keycloak access token, each de-duplicated and sorted. The token came
 * straight from the token endpoint over the back channel, so its claims are read, not re-verified.
 */
export function rolesFromAccessToken(accessToken: string, clientId: string): KeycloakRoles {
  let claims: KeycloakAccessClaims;
  try {
    claims = decodeJwt(accessToken) as KeycloakAccessClaims;
  } catch {
    return { realm: [], client: [] };
  }
  return { realm: strings(claims.realm_access?.roles), client: strings(claims.resource_access?.[clientId]?.roles) };
}
