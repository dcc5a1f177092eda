/** Why an app session is over. */
export type SessionEndReason = "REVOKED" | "BACKCHANNEL_LOGOUT" | "EXPIRED" | "REFRESH_REFUSED";

/**
 * Thrown from the jwt callback when the session is over: next-auth then clears the cookie and answers
 * an empty session, which the UI shows as signed out.
 */
export class SessionEndedError extends Error {
  readonly code = "SESSION_ENDED";
  constructor(readonly reason: SessionEndReason) {
    super(`Session ended: ${reason}`);
    this.name = "SessionEndedError";
  }
}

/** True for a SessionEndedError from any bundle's copy of this module (see isStoreUnavailable). */
export function isSessionEnded(error: unknown): error is SessionEndedError {
  return (error as { code?: unknown } | null)?.code === "SESSION_ENDED";
}
