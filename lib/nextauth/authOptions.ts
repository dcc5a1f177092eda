import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextAuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { getEnv } from "../config/env";
import { describeUnknown, log } from "../log";
import { getKeycloak, getStore } from "../services";
import { continueSession, startSession, type LifecycleDeps } from "../session/lifecycle";
import { isSessionEnded } from "../session/sessionEnded";
import { SESSION_MAX_AGE_S } from "../session/sessionPolicy";
import { federatedSignOut } from "../session/signOut";
import { decodeSessionCookie, encodeSessionCookie } from "./cookieCodec";
import { clearReauthMarker, isReauthRequired, markReauthRequired } from "./reauthMarker";

/** The request and response of a call to the NextAuth route, when there is one. */
export interface AuthHttpContext {
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * next-auth options. With an HTTP context (the NextAuth route) sign-out can mark the browser for re-authentication
 * and sign-in honours that mark; without one (getServerSession) they are the same options minus that.
 */
export function buildAuthOptions(http?: AuthHttpContext): NextAuthOptions {
  const env = getEnv();
  const keycloak = getKeycloak();
  const store = getStore();
  const secureCookies = env.NEXTAUTH_URL.protocol === "https:";
  const lifecycle: LifecycleDeps = {
    keycloak,
    store,
    refreshWaitMs: env.KEYCLOAK_REFRESH_WAIT_MS,
    sessionMaxAgeS: SESSION_MAX_AGE_S,
  };
  const promptLogin = http ? isReauthRequired(http.req, secureCookies) : false;

  return {
    secret: env.NEXTAUTH_SECRET,
    providers: [
      KeycloakProvider({
        clientId: keycloak.clientId,
        clientSecret: keycloak.clientSecret,
        issuer: keycloak.issuer,
        authorization: {
          params: { scope: "openid email profile", ...(promptLogin ? { prompt: "login" } : {}) },
        },
      }),
    ],
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    // The cookie's own expiry is the session's maximum too (next-auth's default would say 30 days).
    jwt: { maxAge: SESSION_MAX_AGE_S, encode: encodeSessionCookie, decode: decodeSessionCookie },
    pages: { signIn: "/auth/signin", signOut: "/auth/signout", error: "/auth/signin" },
    callbacks: {
      async jwt({ token, account }) {
        if (account) return startSession(token, account, lifecycle);
        return continueSession(token, lifecycle);
      },
      async session({ session, token }) {
        // The session's absolute end (sign-in plus maxAge), which the lifecycle enforces, not next-auth's rolling one.
        const expires = token.signedInAt ? new Date((token.signedInAt + SESSION_MAX_AGE_S) * 1000).toISOString() : session.expires;
        if (token.error || !token.sessionId) return { expires, error: token.error ?? "SessionUnavailable" };
        return {
          expires,
          // null, not undefined: pages pass the session through getServerSideProps, which rejects undefined.
          user: {
            name: token.name ?? null,
            email: token.email ?? null,
            image: token.picture ?? null,
            realmRoles: token.roles?.realm ?? [],
            clientRoles: token.roles?.client ?? [],
            authTime: token.authTime ?? null,
          },
        };
      },
    },
    events: {
      async signIn() {
        if (http) clearReauthMarker(http.res, secureCookies);
      },
      async signOut({ token }) {
        await federatedSignOut(token, {
          keycloak,
          store,
          federated: env.KEYCLOAK_FEDERATED_LOGOUT,
          sessionMaxAgeS: SESSION_MAX_AGE_S,
          onKeycloakSessionMayLive: http ? () => markReauthRequired(http.res, secureCookies) : undefined,
        });
      },
    },
    logger: {
      error(code, metadata) {
        const error = (metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error) as unknown;
        if (isSessionEnded(error)) {
          log.info("SESSION_ENDED", { reason: error.reason });
          return;
        }
        log.error(`NEXTAUTH_${code}`, error ? describeUnknown(error) : undefined);
      },
      warn(code) {
        log.warn(`NEXTAUTH_${code}`);
      },
      debug() {},
    },
  };
}

let shared: NextAuthOptions | undefined;

/** Options for getServerSession and other calls outside the NextAuth route. */
export function getAuthOptions(): NextAuthOptions {
  shared ??= buildAuthOptions();
  return shared;
}
