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
}

/** The outcome of a page guard. */
export type GuardResult =
  | { kind: "allowed"; user: SessionUser }
  | { kind: "redirect"; redirect: Redirect }
  | { kind: "forbidden"; user: SessionUser };

/**
 * Server-side page guard: a visitor without a confirmed session is sent to sign in and brought back to this page
 * after; a signed-in user without the required role is forbidden (the page answers 403).
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
  return { kind: "allowed", user };
}
