/**
 * Why an app session ended: what the revocation core records (lib/session/revocation.ts) and what a browser's live
 * channel is told (GET /api/auth/events, components/LiveSession.tsx).
 */
export type SessionEndReason =
  /** This browser's session was signed out (in another tab or window). */
  | "signed-out"
  /** The user chose "Sign out everywhere" on another device. */
  | "signed-out-everywhere"
  /** Keycloak ended the session: an administrator, another app's logout, or "Your sessions" elsewhere. */
  | "keycloak-logout"
  /** Keycloak refused to renew the session. */
  | "refresh-refused"
  /** The session reached its end (Keycloak's idle time or the 10 h maximum). */
  | "expired"
  /** The session store lost its data, so sessions from before cannot be trusted. */
  | "store-reset";
