/**
 * Upper bound of an app session, counted from sign-in: Keycloak's default SSO session max (10 h). The session
 * really ends earlier, with the Keycloak session's refresh token (idle 30 min by default): see lifecycle.ts.
 */
export const SESSION_MAX_AGE_S = 10 * 60 * 60;

/** First 8 characters of an id: enough to follow one session through the logs. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
