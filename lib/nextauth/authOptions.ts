import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextAuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { nowS, type Clock } from "../clock";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { describeError, describeUnknown, log } from "../log";
import { readIdTokenClaims, type SessionLifecycle } from "../session/lifecycle";
import { isSessionEnded } from "../session/sessionEnded";
import { absoluteEndMs } from "../session/sessionPolicy";
import type { SignOutOutcome } from "../session/signOut";
import { decodeSessionCookie, encodeSessionCookie } from "./mirror/jwt";
import { clearReauthMarker, markReauthRequired, reauthRequiredSince } from "./reauthMarker";

/** The request and response of a call to the NextAuth route, when there is one. */
export interface AuthHttpContext {
  req: IncomingMessage;
  res: ServerResponse;
}

/** What the options are built from (lib/auth.ts builds each part once). */
export interface AuthOptionsParts {
  keycloak: KeycloakClient;
  secret: string;
  publicUrl: URL;
  sessionMaxAgeS: number;
  lifecycle: SessionLifecycle;
  signOut(token: Parameters<NonNullable<NonNullable<NextAuthOptions["events"]>["signOut"]>>[0]["token"]): Promise<SignOutOutcome>;
  clock: Clock;
}

/** Where a sign-in whose password entry predates the re-authentication mark is sent (pages/auth/signin.tsx). */
const REAUTH_REFUSED_URL = "/auth/signin?error=ReauthRequired";

/**
 * next-auth options. With an HTTP context (the NextAuth route) sign-out can mark the browser for re-authentication
 * and sign-in honours that mark; without one (the session read path) they are the same options minus that.
 */
export function createAuthOptions(parts: AuthOptionsParts, http?: AuthHttpContext): NextAuthOptions {
  const { keycloak, lifecycle, sessionMaxAgeS, clock } = parts;
  const secureCookies = parts.publicUrl.protocol === "https:";
  const reauthSince = http ? reauthRequiredSince(http.req, secureCookies) : null;

  return {
    secret: parts.secret,
    providers: [
      KeycloakProvider({
        clientId: keycloak.clientId,
        clientSecret: keycloak.clientSecret,
        issuer: keycloak.issuer,
        authorization: {
          params: { scope: "openid email profile", ...(reauthSince !== null ? { prompt: "login" } : {}) },
        },
      }),
    ],
    session: { strategy: "jwt", maxAge: sessionMaxAgeS },
    // The cookie's own expiry is the session's maximum too (next-auth's default would say 30 days).
    jwt: { maxAge: sessionMaxAgeS, encode: encodeSessionCookie, decode: decodeSessionCookie },
    pages: { signIn: "/auth/signin", signOut: "/auth/signout", error: "/auth/signin" },
    callbacks: {
      async signIn({ account }) {
        // After a failed Keycloak logout only a sign-in with a password entered since then is accepted: prompt=login
        // asks for it, and this refuses an answer that skipped it (e.g. a crafted prompt=none).
        if (reauthSince === null || !account?.id_token) return true;
        const { authTime } = readIdTokenClaims(account.id_token);
        if (authTime !== undefined && authTime >= reauthSince) return true;
        log.warn("SIGNIN_REFUSED_REAUTH_REQUIRED", { reason: "the password entry predates the failed Keycloak logout" });
        return REAUTH_REFUSED_URL;
      },
      async redirect({ url, baseUrl }) {
        return sameOriginOrHome(url, baseUrl);
      },
      async jwt({ token, account }) {
        if (account) return lifecycle.start(token, account);
        return lifecycle.continue(token);
      },
      async session({ session, token }) {
        // The session's absolute end (sign-in plus maxAge), which the lifecycle enforces, not next-auth's rolling one.
        const expires = token.signedInAtMs
          ? new Date(absoluteEndMs(token.signedInAtMs, sessionMaxAgeS)).toISOString()
          : session.expires;
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
        try {
          const outcome = await parts.signOut(token);
          // Every federated sign-out marks the browser, not only a failed one: Keycloak can let a sign-in within a
          // minute of its last login through on its leftover authentication session even after a confirmed logout
          // (keycloak/keycloak#43853; seen by npm run chaos -- --keycloak). With the mark the next sign-in sends
          // prompt=login and refuses an auth_time from before the sign-out.
          if (outcome.keycloak !== "skipped" && http) markReauthRequired(http.res, secureCookies, nowS(clock));
        } catch (error) {
          // If error, log it but continue (next-auth's own rule for sign-out): the browser's cookie is cleared anyway.
          log.error("SIGNOUT_FAILED", describeError(error));
          if (http) markReauthRequired(http.res, secureCookies, nowS(clock));
        }
      },
    },
    logger: {
      error(code, metadata) {
        const error = (metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error) as unknown;
        if (isSessionEnded(error)) {
          log.info("SESSION_ENDED", { reason: error.reason });
          return;
        }
        if (error instanceof Error && error.name === "InvalidSessionCookieError") {
          // Anyone can send a junk cookie: one line, no stack.
          log.warn("SESSION_COOKIE_INVALID", { reason: error.message });
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

/**
 * next-auth's redirect callback, without its throw on an unparseable URL (a planted callback-url cookie made sign-in
 * and sign-out answer 500): a same-origin target is kept, anything else becomes the app's home.
 */
export function sameOriginOrHome(url: string, baseUrl: string): string {
  try {
    const base = new URL(baseUrl);
    const target = new URL(url, base);
    if (target.origin === base.origin) return target.href;
  } catch {
    // Unparseable: the default below.
  }
  return baseUrl;
}
