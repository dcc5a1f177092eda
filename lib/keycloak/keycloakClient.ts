import type { JWTVerifyGetKey } from "jose";
import { AppError } from "../errors";
import { endAccountSession, endAllAccountSessions, listAccountSessions, type AccountSession } from "./accountSessions";
import { discover, type DiscoveryDocument } from "./discovery";
import { remoteKeys } from "./logoutToken";
import { refreshGrant, type RefreshedTokens } from "./refreshGrant";
import { rolesFromAccessToken, type KeycloakRoles } from "./roles";
import { fetchUserinfo, type UserInfo } from "./userinfo";

/**
 * The back-channel endpoint answers anyone: while discovery fails, its key lookups reuse the failure this long
 * instead of fetching again (issue 11). Sign-out and refresh never wait on it.
 */
const KEY_LOOKUP_FAILURE_REUSE_MS = 2000;

/** Who the app is at Keycloak, and how long each kind of call may take. */
export interface KeycloakClientConfig {
  /** Realm issuer, e.g. http://localhost:8080/realms/nextjs (no trailing slash). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Bound for the logout handshake at sign-out (discovery included), in ms. */
  logoutTimeoutMs: number;
  /** Bound for one refresh grant, in ms: longer than a request waits, so a rotated token is never abandoned. */
  refreshTimeoutMs: number;
}

/** The app's one Keycloak client: every call to Keycloak goes through it, with the identity it was built with. */
export interface KeycloakClient extends Readonly<KeycloakClientConfig> {
  /** The issuer's discovery document (cached). */
  discover(signal?: AbortSignal): Promise<DiscoveryDocument>;
  /** The refresh_token grant; throws REFRESH_REFUSED or REFRESH_UNAVAILABLE. */
  refresh(refreshToken: string): Promise<RefreshedTokens>;
  /** The issuer's signing keys, located through discovery (for logout tokens). */
  signingKeys(): Promise<JWTVerifyGetKey>;
  /** Realm roles and this client's roles from an access token. */
  rolesOf(accessToken: string): KeycloakRoles;
  /** The user's Keycloak sessions (Account REST API, with the user's access token). */
  accountSessions(accessToken: string): Promise<AccountSession[]>;
  /** Ends one of the user's Keycloak sessions (Account REST API). */
  endAccountSession(accessToken: string, sessionId: string): Promise<void>;
  /** Ends every Keycloak session of the user, this one included (Account REST API). */
  endAllAccountSessions(accessToken: string): Promise<void>;
  /** The user's claims from the userinfo endpoint; throws KEYCLOAK_UNAVAILABLE. */
  userinfo(accessToken: string): Promise<UserInfo>;
}

/** Builds the Keycloak client from its configuration (lib/processAuth.ts builds the process's one from the env). */
export function createKeycloakClient(config: KeycloakClientConfig): KeycloakClient {
  const client: KeycloakClient = Object.freeze({
    ...config,
    discover: (signal?: AbortSignal) => discover(config.issuer, signal),
    refresh: (refreshToken: string) => refreshGrant(config, refreshToken),
    signingKeys: async () =>
      remoteKeys((await discover(config.issuer, undefined, { reuseFailureForMs: KEY_LOOKUP_FAILURE_REUSE_MS })).jwks_uri),
    rolesOf: (accessToken: string) => rolesFromAccessToken(accessToken, config.clientId),
    accountSessions: (accessToken: string) => listAccountSessions(config.issuer, accessToken),
    endAccountSession: (accessToken: string, sessionId: string) => endAccountSession(config.issuer, accessToken, sessionId),
    endAllAccountSessions: (accessToken: string) => endAllAccountSessions(config.issuer, accessToken),
    userinfo: async (accessToken: string) => {
      let endpoint: string | undefined;
      try {
        endpoint = (await discover(config.issuer)).userinfo_endpoint;
      } catch (error) {
        throw new AppError("KEYCLOAK_UNAVAILABLE", "Keycloak's discovery document could not be fetched", { cause: error });
      }
      return fetchUserinfo(endpoint, accessToken);
    },
  });
  return client;
}
