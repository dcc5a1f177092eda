import type { ServerResponse } from "node:http";
import { httpStatusOf, isAppError, type ErrorCode } from "../errors";
import { describeError, log } from "../log";

/** What a person should read for each error an API route answers with; the codes are lib/errors.ts's. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  SESSION_ENDED: "Your session has ended. Please sign in again.",
  STORE_UNAVAILABLE: "The session store is unavailable right now, so your session could not be confirmed. Nothing was changed; please try again in a moment.",
  KEYCLOAK_UNAVAILABLE: "Keycloak could not be reached. Nothing was changed; please try again in a moment.",
  REFRESH_UNAVAILABLE: "Keycloak could not be reached to renew your session. Nothing was changed; please try again in a moment.",
  ACCOUNT_API_REFUSED: "Keycloak refused: your account needs the manage-account role. Ask an administrator, then sign in again.",
  METHOD_NOT_ALLOWED: "This address does not accept that method.",
  JSON_REQUIRED: "Send the request body as application/json.",
};

/**
 * The one error body of every API route: `{ error: CODE, message }` with the error's status. An AppError answers
 * with its own code (logged when it is the server's or Keycloak's fault); anything else is a 500 whose stack goes to
 * the log, never to the client.
 */
export function sendError(res: ServerResponse, error: unknown, logCode: string): void {
  const status = httpStatusOf(error);
  if (!isAppError(error)) log.error(`${logCode}_UNEXPECTED`, describeError(error));
  else if (status >= 500) log.warn(logCode, { ...describeError(error), status });
  const code = isAppError(error) ? error.code : "INTERNAL_ERROR";
  const message = isAppError(error) ? (MESSAGES[error.code] ?? error.message) : "Something went wrong on our side.";
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify({ error: code, message }));
}
