import type { GetServerSidePropsContext, Redirect } from "next";
import type { Session } from "next-auth";
import { readSession } from "./sessionReader";

/** A signed-in user as pages receive it. */
export type SessionUser = NonNullable<Session["user"]>;

/** What a page requires beyond a signed-in user. Realm and client roles are distinct: name the kind you mean. */
export interface GuardRequirements {
  /** A Keycloak realm role, e.g. "admin". */
  realmRole?: string;
  /** A role of this app's Keycloak client, e.g. "viewer". */
  clientRole?: string;
  /**
   * The user must have entered their password within this many seconds (the ID token's auth_time); an older session
   * is sent through Keycloak again with `max_age`, which asks for the password even while the SSO session lives.
   */
  maxAuthAgeS?: number;
}

/** Query flag the re-authentication round trip adds to the page's URL, so a stale answer cannot loop. */
export const REAUTH_FLAG = "reauth";

/** The outcome of a page guard. */
export type GuardResult =
  | { kind: "allowed"; user: SessionUser }
  | { kind: "redirect"; redirect: Redirect }
  | { kind: "forbidden"; user: SessionUser }
  /** Keycloak came back from a re-authentication without a fresh auth_time: the page says so instead of looping. */
  | { kind: "reauth-failed"; user: SessionUser };

/**
 * Server-side page guard: a visitor without a confirmed session is sent to sign in and brought back to this page
 * after; a signed-in user without the required role is forbidden (the page answers 403); a session whose password
 * entry is older than `maxAuthAgeS` is sent to re-authenticate at Keycloak and comes back here.
 */
export async function guardPage(context: GetServerSidePropsContext, requirements: GuardRequirements = {}): Promise<GuardResult> {
  const session = await readSession(context.req, context.res);
  const user = session?.user;
  if (!user) {
    const params = new URLSearchParams({ callbackUrl: context.resolvedUrl });
    if (session?.error) params.set("error", session.error);
    return { kind: "redirect", redirect: { destination: `/auth/signin?${params}`, permanent: false } };
  }
  const lacksRealmRole = requirements.realmRole !== undefined && !user.realmRoles.includes(requirements.realmRole);
  const lacksClientRole = requirements.clientRole !== undefined && !user.clientRoles.includes(requirements.clientRole);
  if (lacksRealmRole || lacksClientRole) {
    context.res.statusCode = 403;
    return { kind: "forbidden", user };
  }
  if (requirements.maxAuthAgeS !== undefined && !authenticatedWithin(user, requirements.maxAuthAgeS)) {
    if (context.query[REAUTH_FLAG] === "1") {
      context.res.statusCode = 403;
      return { kind: "reauth-failed", user };
    }
    const params = new URLSearchParams({ callbackUrl: context.resolvedUrl, maxAge: String(requirements.maxAuthAgeS) });
    return { kind: "redirect", redirect: { destination: `/auth/reauth?${params}`, permanent: false } };
  }
  return { kind: "allowed", user };
}

/** True when the user entered credentials at most `maxAgeS` seconds ago (a few seconds of clock skew allowed). */
function authenticatedWithin(user: SessionUser, maxAgeS: number): boolean {
  const CLOCK_SKEW_S = 5;
  return user.authTime !== null && Date.now() / 1000 - user.authTime <= maxAgeS + CLOCK_SKEW_S;
}
