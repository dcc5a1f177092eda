import { AppError, isAppError } from "../errors";
import type { EndReason } from "./revocation";

/**
 * Thrown from the jwt callback when the session is over: next-auth then clears the cookie and answers an empty
 * session, which the UI shows as signed out (docs/decisions/0001-session-ended-error.md).
 */
export class SessionEndedError extends AppError {
  constructor(readonly reason: EndReason) {
    super("SESSION_ENDED", `Session ended: ${reason}`);
    this.name = "SessionEndedError";
  }
}

/** True for a SessionEndedError from any bundle's copy of this module. */
export function isSessionEnded(error: unknown): error is SessionEndedError {
  return isAppError(error, "SESSION_ENDED");
}
