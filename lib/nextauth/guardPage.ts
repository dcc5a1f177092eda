import type { GetServerSidePropsContext, Redirect } from "next";
import type { Session } from "next-auth";
import type { Clock } from "../clock";
import type { SessionRead, SessionUser } from "./mirror/sessionRoute";

export type { SessionUser } from "./mirror/sessionRoute";

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

/**
 * Query flag the re-authentication round trip adds to the page's URL (pages/auth/reauth.tsx): when it was sent, in
 * epoch s. A fresh flag with a still-old auth_time means Keycloak did not ask: the page says so instead of looping;
 * an old one (a bookmark) starts a new round trip.
 */
const REAUTH_FLAG = "reauth";
/** How long after the round trip started its flag counts as "just came back", in seconds. */
const REAUTH_FLAG_TTL_S = 600;
/** Clock skew allowed between the app and Keycloak when comparing auth_time, in seconds. */
const CLOCK_SKEW_S = 5;

/** The outcome of a page guard. */
export type GuardResult =
  | { kind: "allowed"; user: SessionUser; session: Session }
  | { kind: "redirect"; redirect: Redirect }
  | { kind: "forbidden"; user: SessionUser; session: Session }
  /** Keycloak came back from a re-authentication without a fresh auth_time: the page says so instead of looping. */
  | { kind: "reauth-failed"; user: SessionUser; session: Session };

/** The sign-in page's error code for a session read that is not signed in (pages/auth/signin.tsx shows its message). */
function signInErrorOf(read: Exclude<SessionRead, { status: "signed-in" }>): string | undefined {
  if (read.status === "unavailable") return read.code === "STORE_UNAVAILABLE" ? "SessionUnavailable" : "RefreshAccessTokenError";
  if (read.reason === "no-session" || read.reason === "signed-out") return undefined;
  return "SessionEnded";
}

/**
 * Server-side page guard: a visitor without a confirmed session is sent to sign in (told why, when the session
 * ended or could not be confirmed) and brought back to this page after; a signed-in user without the required role
 * is forbidden (the page answers 403); a session whose password entry is older than `maxAuthAgeS` is sent to
 * re-authenticate at Keycloak and comes back here.
 */
export async function guardPage(
  read: SessionRead,
  context: Pick<GetServerSidePropsContext, "res" | "query" | "resolvedUrl">,
  requirements: GuardRequirements,
  clock: Clock,
): Promise<GuardResult> {
  if (read.status !== "signed-in") {
    const params = new URLSearchParams({ callbackUrl: context.resolvedUrl });
    const error = signInErrorOf(read);
    if (error) params.set("error", error);
    return { kind: "redirect", redirect: { destination: `/auth/signin?${params}`, permanent: false } };
  }
  // The session goes to the page too (its props' `session`), so the browser starts from what the server confirmed.
  const { user, session } = read;
  const lacksRealmRole = requirements.realmRole !== undefined && !user.realmRoles.includes(requirements.realmRole);
  const lacksClientRole = requirements.clientRole !== undefined && !user.clientRoles.includes(requirements.clientRole);
  if (lacksRealmRole || lacksClientRole) {
    context.res.statusCode = 403;
    return { kind: "forbidden", user, session };
  }
  const nowS = clock.nowMs() / 1000;
  if (requirements.maxAuthAgeS !== undefined && !(user.authTime !== null && nowS - user.authTime <= requirements.maxAuthAgeS + CLOCK_SKEW_S)) {
    const flag = Number(context.query[REAUTH_FLAG]);
    if (Number.isFinite(flag) && nowS - flag <= REAUTH_FLAG_TTL_S && flag <= nowS + CLOCK_SKEW_S) {
      context.res.statusCode = 403;
      return { kind: "reauth-failed", user, session };
    }
    const params = new URLSearchParams({ callbackUrl: withoutReauthFlag(context.resolvedUrl), maxAge: String(requirements.maxAuthAgeS) });
    return { kind: "redirect", redirect: { destination: `/auth/reauth?${params}`, permanent: false } };
  }
  return { kind: "allowed", user, session };
}

/** The page's URL without an old flag, so the next round trip adds a fresh one. */
function withoutReauthFlag(resolvedUrl: string): string {
  const url = new URL(resolvedUrl, "http://placeholder");
  url.searchParams.delete(REAUTH_FLAG);
  return `${url.pathname}${url.search}`;
}
