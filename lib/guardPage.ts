import type { GetServerSidePropsContext, Redirect } from "next";
import { getServerSession, type Session } from "next-auth";
import { getAuthOptions } from "./authOptions";

/** A signed-in user as pages receive it. */
export type SessionUser = NonNullable<Session["user"]>;

/** The outcome of a page guard. */
export type GuardResult =
  | { kind: "allowed"; user: SessionUser }
  | { kind: "redirect"; redirect: Redirect }
  | { kind: "forbidden"; user: SessionUser };

/**
 * Server-side page guard: a visitor without a confirmed session is sent to sign in and brought back
 * to this page after; a signed-in user without `role` is forbidden (the page answers 403).
 */
export async function guardPage(context: GetServerSidePropsContext, options: { role?: string } = {}): Promise<GuardResult> {
  const session = await getServerSession(context.req, context.res, getAuthOptions());
  const user = session?.user;
  if (!user) {
    const params = new URLSearchParams({ callbackUrl: context.resolvedUrl });
    if (session?.error) params.set("error", session.error);
    return { kind: "redirect", redirect: { destination: `/auth/signin?${params}`, permanent: false } };
  }
  if (options.role && !user.roles.includes(options.role)) {
    context.res.statusCode = 403;
    return { kind: "forbidden", user };
  }
  return { kind: "allowed", user };
}
