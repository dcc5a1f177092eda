import type { DefaultSession } from "next-auth";
import type { KeycloakRoles } from "@/lib/keycloak/roles";

/** Why the session cannot be used right now; the UI asks the user to sign in again. */
type SessionErrorCode = "RefreshAccessTokenError" | "SessionUnavailable";

declare module "next-auth" {
  /** What /api/auth/session and getServerSession return: profile and roles only, never a token. */
  interface Session {
    user?: DefaultSession["user"] & {
      /** Keycloak realm roles (`realm_access.roles`). */
      realmRoles: string[];
      /** Roles of this app's Keycloak client (`resource_access.<client id>.roles`); distinct from realm roles. */
      clientRoles: string[];
      /** When the user last entered credentials at Keycloak (the ID token's auth_time, epoch s). */
      authTime: number | null;
    };
    /** Set when the session could not be confirmed; `user` is then absent. */
    error?: SessionErrorCode;
  }
}

declare module "next-auth/jwt" {
  /** The encrypted session cookie's payload (server-only). Times are epoch seconds. */
  interface JWT {
    /** The provider that signed the user in; only "keycloak" sessions get a federated logout. */
    provider?: "keycloak";
    /** Keycloak's ID token: the id_token_hint for the logout at sign-out. */
    id_token?: string;
    /** Latest refresh token (also in the store); lets the session survive a restart of an in-memory store. */
    refresh_token?: string;
    /** When the access token expires. */
    expires_at?: number;
    /** When the refresh token expires: the app session ends then, with the Keycloak session. */
    refresh_expires_at?: number;
    /** Random id of this app session: the key of its server-side tokens and its revocation. */
    sessionId?: string;
    /** Keycloak's session id (`sid` claim), used by back-channel logout. */
    sid?: string;
    /** When the user signed in to the app (epoch ms). */
    signedInAtMs?: number;
    /** The store generation the session was issued in: a store that lost its data has a new one (lib/session/revocation.ts). */
    generation?: string;
    /** When the user last entered credentials at Keycloak (the ID token's auth_time). */
    authTime?: number;
    /** Server-only, never written to the cookie: roles read from the stored access token. */
    roles?: KeycloakRoles;
    /** Server-only, never written to the cookie: the fresh access token this request confirmed. */
    accessToken?: string;
    /** Server-only, never written to the cookie: why this request could not confirm the session. */
    error?: SessionErrorCode;
  }
}
