import { AppError, isAppError } from "../errors";

/** Why an app session is over. */
export type SessionEndReason = "REVOKED" | "BACKCHANNEL_LOGOUT" | "EXPIRED" | "REFRESH_REFUSED";

/**
 * Thrown from the jwt callback when the session is over: next-auth then clears the cookie and answers an empty
 * session, which the UI shows as signed out (docs/decisions/0001-session-ended-error.md).
 */
export class SessionEndedError extends AppError {
  constructor(readonly reason: SessionEndReason) {
    super("SESSION_ENDED", `Session ended: ${reason}`);
    this.name = "SessionEndedError";
  }
}

/** True for a SessionEndedError from any bundle's copy of this module. */
export function isSessionEnded(error: unknown): error is SessionEndedError {
  return isAppError(error, "SESSION_ENDED");
}
