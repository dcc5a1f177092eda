/** Key names in the shared store, in one place so every module agrees on them. */
export const storeKeys = {
  /** Written once by the first instance that finds it absent: a new value means the store lost its data. */
  generation: "store-generation",
  /** Server-side tokens of one app session (access token, latest refresh token, roles). */
  tokens: (sessionId: string) => `session:${sessionId}:tokens`,
  /** Held by the one request that refreshes this session's tokens. */
  refreshLock: (sessionId: string) => `session:${sessionId}:refresh-lock`,
  /** This app session is over (value: why). */
  revokedSession: (sessionId: string) => `revoked:session:${sessionId}`,
  /** Every app session of the Keycloak session with this `sid` is over (value: why). */
  revokedSid: (sid: string) => `revoked:sid:${sid}`,
  /** Every app session of this user signed in before the stored time is over (value: `<epoch ms> <why>`). */
  revokedSub: (sub: string) => `revoked:sub:${sub}`,
  /** When a sign-in last produced this Keycloak session (epoch ms): stale logout retries leave it alone. */
  sidSignedIn: (sid: string) => `sid-signed-in:${sid}`,
  /** Schedule of pending Keycloak logouts (member: the Keycloak session's key, score: when the next try is due, epoch ms). */
  logoutQueue: "logout-queue",
  /** One pending Keycloak logout, one per Keycloak session: the hint, Keycloak's sid, when, tries so far. */
  pendingLogout: (key: string) => `logout-pending:${key}`,
  /** Held by the one instance retrying that pending logout. */
  pendingLogoutLock: (key: string) => `logout-pending:${key}:lock`,
  /** "Sign out everywhere" of this user is under way: Keycloak's back-channel logouts it causes say so. */
  everywhereUnderWay: (sub: string) => `signing-out-everywhere:${sub}`,
  /** A sign-out of this app is ending that Keycloak session: the back-channel logout it causes says so. */
  signOutUnderWay: (sid: string) => `signing-out:${sid}`,
  /** A back-channel logout token id already accepted (replay protection). */
  logoutJti: (jti: string) => `logout-jti:${jti}`,
};
