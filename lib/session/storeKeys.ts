/** Key names in the shared store, in one place so every module agrees on them. */
export const storeKeys = {
  /** Server-side tokens of one app session (access token, latest refresh token, roles). */
  tokens: (sessionId: string) => `session:${sessionId}:tokens`,
  /** Held by the one request that refreshes this session's tokens. */
  refreshLock: (sessionId: string) => `session:${sessionId}:refresh-lock`,
  /** This app session was signed out or its refresh was refused. */
  revokedSession: (sessionId: string) => `revoked:session:${sessionId}`,
  /** Keycloak ended the SSO session with this `sid` (back-channel logout). */
  revokedSid: (sid: string) => `revoked:sid:${sid}`,
  /** Keycloak ended every session of this user issued before the stored time (epoch ms). */
  revokedSub: (sub: string) => `revoked:sub:${sub}`,
  /** When a sign-in last produced this Keycloak session (epoch ms): stale logout retries leave it alone. */
  sidSignedIn: (sid: string) => `sid-signed-in:${sid}`,
  /** Schedule of pending Keycloak logouts (member: pending id, score: when the next try is due, epoch ms). */
  logoutQueue: "logout-queue",
  /** One pending Keycloak logout: the hint, Keycloak's sid, when the user signed out, tries so far. */
  pendingLogout: (id: string) => `logout-pending:${id}`,
  /** Held by the one instance retrying that pending logout. */
  pendingLogoutLock: (id: string) => `logout-pending:${id}:lock`,
  /** A back-channel logout token id already accepted (replay protection). */
  logoutJti: (jti: string) => `logout-jti:${jti}`,
};
