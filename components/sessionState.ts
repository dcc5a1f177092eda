import type { Session } from "next-auth";

/**
 * True when the browser holds a session cookie worth ending: a confirmed user, or a session that could not be
 * confirmed just now (`error`: the cookie is kept through an outage). The header and the pages offer "Sign out"
 * by this one rule.
 */
export function hasSessionToEnd(session: Session | null | undefined): boolean {
  return Boolean(session?.user || session?.error);
}
