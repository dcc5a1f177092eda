import type { IncomingMessage, ServerResponse } from "node:http";
import { appendSetCookie } from "../http/appendSetCookie";
import { SESSION_MAX_AGE_S } from "../session/sessionPolicy";

const MARKER = "kc-reauth";
// As long as a session can be (Keycloak's default SSO session max): past it, the old session is gone anyway.
const MARKER_MAX_AGE_S = SESSION_MAX_AGE_S;

// `__Host-` (https only) forbids Domain and narrower paths, so a sibling subdomain cannot plant a look-alike.
const cookieName = (secure: boolean) => (secure ? `__Host-${MARKER}` : MARKER);

/**
 * Remembers, in this browser, that its Keycloak session may still be alive after a failed logout, so the next
 * sign-in sends prompt=login and Keycloak asks for credentials instead of signing in silently.
 */
export function markReauthRequired(res: ServerResponse, secure: boolean): void {
  appendSetCookie(res, [`${cookieName(secure)}=1; Path=/; Max-Age=${MARKER_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`]);
}

/** Forgets the marker once the user has signed in with credentials again. */
export function clearReauthMarker(res: ServerResponse, secure: boolean): void {
  appendSetCookie(res, [`${cookieName(secure)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`]);
}

/**
 * True when this browser's last sign-out could not end its Keycloak session. Read from the raw Cookie header: on
 * http another port of the same host can add a cookie of the same name on a narrower path, which browsers send
 * first; any "set" occurrence wins, so such a cookie cannot switch the marker off.
 */
export function isReauthRequired(req: IncomingMessage, secure: boolean): boolean {
  const name = cookieName(secure);
  return (req.headers.cookie ?? "").split(";").some((pair) => {
    const i = pair.indexOf("=");
    return i > 0 && pair.slice(0, i).trim() === name && pair.slice(i + 1).trim() === "1";
  });
}
