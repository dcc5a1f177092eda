import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextAuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { getEnv } from "./env";
import { federatedSignOut } from "./federatedSignOut";
import { decodeSessionCookie, encodeSessionCookie } from "./sessionCookieCodec";
import { log } from "./log";
import { clearReauthMarker, isReauthRequired } from "./reauthMarker";
import { isSessionEnded } from "./sessionEnded";
import { continueSession, startSession, type LifecycleConfig } from "./sessionLifecycle";
import { getSessionStore } from "./sessionStore";

/**
 * Upper bound of an app session: Keycloak's default SSO session max (10 h). The session really ends
 * earlier, with the Keycloak session's refresh token (idle 30 min by default): see sessionLifecycle.
 */
export const SESSION_MAX_AGE_S = 10 * 60 * 60;

/** The request and response of a call to the NextAuth route, when there is one. */
export interface AuthHttpContext {
  req: IncomingMessage & { cookies?: Partial<Record<string, string>> };
  res: ServerResponse;
}

/**
 * next-auth options. With an HTTP context (the NextAuth route) sign-out can mark the browser for
 * re-authentication and sign-in honours that mark; without one (getServerSession) they are the same
 * options minus that.
 */
export function buildAuthOptions(http?: AuthHttpContext): NextAuthOptions {
  const env = getEnv();
  const store = getSessionStore();
  const secureCookies = env.NEXTAUTH_URL.protocol === "https:";
  const lifecycle: LifecycleConfig = {
    issuer: env.KEYCLOAK_ISSUER,
    clientId: env.KEYCLOAK_CLIENT_ID,
    clientSecret: env.KEYCLOAK_CLIENT_SECRET,
    refreshWaitMs: env.KEYCLOAK_REFRESH_WAIT_MS,
    sessionMaxAgeS: SESSION_MAX_AGE_S,
  };
  const promptLogin = http ? isReauthRequired(http.req, secureCookies) : false;

  return {
    secret: env.NEXTAUTH_SECRET,
    providers: [
      KeycloakProvider({
        clientId: env.KEYCLOAK_CLIENT_ID,
        clientSecret: env.KEYCLOAK_CLIENT_SECRET,
        issuer: env.KEYCLOAK_ISSUER,
        authorization: {
          params: { scope: "openid email profile", ...(promptLogin ? { prompt: "login" } : {}) },
        },
      }),
    ],
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    jwt: { encode: encodeSessionCookie, decode: decodeSessionCookie },
    pages: { signIn: "/auth/signin", error: "/auth/signin" },
    callbacks: {
      async jwt({ token, account }) {
        if (account) return startSession(token, account, store, lifecycle);
        return continueSession(token, store, lifecycle);
      },
      async session({ session, token }) {
        if (token.error || !token.sessionId) return { expires: session.expires, error: token.error ?? "SessionUnavailable" };
        return {
          expires: session.expires,
          // null, not undefined: pages pass the session through getServerSideProps, which rejects undefined.
          user: { name: token.name ?? null, email: token.email ?? null, image: token.picture ?? null, roles: token.roles ?? [] },
        };
      },
    },
    events: {
      async signIn() {
        if (http) clearReauthMarker(http.res, secureCookies);
      },
      async signOut({ token }) {
        await federatedSignOut(token, http?.res, {
          store,
          issuer: env.KEYCLOAK_ISSUER,
          clientId: env.KEYCLOAK_CLIENT_ID,
          timeoutMs: env.KEYCLOAK_LOGOUT_TIMEOUT_MS,
          federated: env.KEYCLOAK_FEDERATED_LOGOUT,
          secureCookies,
          sessionMaxAgeS: SESSION_MAX_AGE_S,
        });
      },
    },
    logger: {
      error(code, metadata) {
        const error = (metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error) as Error | undefined;
        if (isSessionEnded(error)) {
          log.info("SESSION_ENDED", { reason: error.reason });
          return;
        }
        log.error(`NEXTAUTH_${code}`, { name: error?.name, message: error?.message });
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
