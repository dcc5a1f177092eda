import { http, HttpResponse } from "msw";
import { createKeycloakClient, type KeycloakClient, type KeycloakClientConfig } from "@/lib/keycloak/keycloakClient";

/** The issuer every unit test talks to; msw answers for it, nothing listens there. */
export const ISSUER = "http://keycloak.test/realms/nextjs";
export const CLIENT_ID = "nextjs-app";
export const CLIENT_SECRET = "nextjs-app-secret";
export const ENDPOINTS = {
  token: `${ISSUER}/protocol/openid-connect/token`,
  logout: `${ISSUER}/protocol/openid-connect/logout`,
  userinfo: `${ISSUER}/protocol/openid-connect/userinfo`,
  certs: `${ISSUER}/protocol/openid-connect/certs`,
};

/** Keycloak's discovery document for ISSUER, reduced to what the app reads. */
export const discoveryDocument = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/protocol/openid-connect/auth`,
  token_endpoint: ENDPOINTS.token,
  end_session_endpoint: ENDPOINTS.logout,
  userinfo_endpoint: ENDPOINTS.userinfo,
  jwks_uri: ENDPOINTS.certs,
};

/** Default handlers: discovery answers; every other Keycloak endpoint is set per test with server.use. */
export const keycloakHandlers = [
  http.get(`${ISSUER}/.well-known/openid-configuration`, () => HttpResponse.json(discoveryDocument)),
];

/** The app's Keycloak client pointed at ISSUER (msw), with short bounds for tests. */
export function testKeycloak(overrides: Partial<KeycloakClientConfig> = {}): KeycloakClient {
  return createKeycloakClient({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    logoutTimeoutMs: 300,
    refreshTimeoutMs: 1000,
    ...overrides,
  });
}
