import type { ServerResponse } from "node:http";
import { httpStatusOf, isAppError } from "../errors";
import { describeError, log } from "../log";

/** What a person should read for an error an API route answers with. */
const MESSAGES: Partial<Record<string, string>> = {
  ACCOUNT_API_REFUSED: "Keycloak refused: your account needs the manage-account role. Ask an administrator, then sign in again.",
  KEYCLOAK_UNAVAILABLE: "Keycloak could not be reached. Nothing was changed; please try again in a moment.",
  STORE_UNAVAILABLE: "Your session could not be confirmed right now. Please try again in a moment.",
};

/**
 * Answers an API request with the error's status and a JSON body `{ error, message }`: an AppError's code and status,
 * anything else a 500 whose stack goes to the log (never to the client).
 */
export function sendError(res: ServerResponse, error: unknown, logCode: string): void {
  const status = httpStatusOf(error);
  if (isAppError(error)) log.warn(logCode, { ...describeError(error), status });
  else log.error(`${logCode}_UNEXPECTED`, describeError(error));
  const code = isAppError(error) ? error.code : "INTERNAL_ERROR";
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify({ error: code, message: MESSAGES[code] ?? "Something went wrong on our side." }));
}
