/** One of the user's Keycloak sessions, as "Your sessions" shows it (GET /api/account/sessions). Times are epoch s. */
export interface AccountSession {
  id: string;
  /** Operating system and device, e.g. "Linux", "iPhone". */
  device: string;
  browser: string;
  ipAddress: string;
  startedAt: number;
  lastAccessAt: number;
  expiresAt: number;
  /** The session the access token belongs to: this browser's. */
  current: boolean;
  /** Names of the applications signed in through it. */
  apps: string[];
}
