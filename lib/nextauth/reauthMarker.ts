import type { IncomingMessage, ServerResponse } from "node:http";
import { appendSetCookie } from "../http/appendSetCookie";
import { SESSION_MAX_AGE_S } from "../session/sessionPolicy";

const MARKER = "kc-reauth";
// As long as a session can be (Keycloak's default SSO session max): past it, the old session is gone anyway.
const MARKER_MAX_AGE_S = SESSION_MAX_AGE_S;

// `__Host-` (https only) forbids Domain and narrower paths, so a sibling subdomain cannot plant a look-alike.
const cookieName = (secure: boolean) => (secure ? `__Host-${MARKER}` : MARKER);

/**
 * Remembers, in this browser, that its Keycloak session may still be alive after a failed logout (the value is when,
 * in epoch s), so the next sign-in sends prompt=login and a sign-in whose password entry is older is refused.
 */
export function markReauthRequired(res: ServerResponse, secure: boolean, atS: number): void {
  appendSetCookie(res, [`${cookieName(secure)}=${atS}; Path=/; Max-Age=${MARKER_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`]);
}

/** Forgets the marker once the user has signed in with credentials again. */
export function clearReauthMarker(res: ServerResponse, secure: boolean): void {
  appendSetCookie(res, [`${cookieName(secure)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`]);
}

/**
 * When this browser's last sign-out could not end its Keycloak session (epoch s), or null. Read from the raw Cookie
 * header: on http another port of the same host can add a cookie of the same name on a narrower path, which browsers
 * send first; the latest mark of any occurrence wins, so such a cookie can neither switch the marker off nor move it
 * back in time.
 */
export function reauthRequiredSince(req: Pick<IncomingMessage, "headers">, secure: boolean): number | null {
  const name = cookieName(secure);
  let latest: number | null = null;
  for (const pair of (req.headers.cookie ?? "").split(";")) {
    const i = pair.indexOf("=");
    if (i <= 0 || pair.slice(0, i).trim() !== name) continue;
    const value = pair.slice(i + 1).trim();
    if (!/^\d{1,12}$/.test(value) || value === "0") continue;
    latest = Math.max(latest ?? 0, Number(value));
  }
  return latest;
}
