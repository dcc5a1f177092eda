/**
 * The app's one error base. Every error a caller may branch on is an AppError with an UPPER_SNAKE code and the
 * HTTP status it maps to at the edge; anything else is unknown and answers 500.
 */

/** Every code an AppError can carry, with the status an API route answers for it. */
export const ERROR_STATUS = {
  /** A variable is missing or malformed (start-up only). */
  ENV_INVALID: 500,
  /** Keycloak's discovery document could not be fetched or is unusable. */
  DISCOVERY_FAILED: 503,
  /** Keycloak refused the refresh token (400 invalid_grant): its session is over. */
  REFRESH_REFUSED: 401,
  /** The refresh could not be performed now (network, timeout, other statuses); retried on the next request. */
  REFRESH_UNAVAILABLE: 503,
  /** A back-channel logout token broke a rule of OpenID Connect Back-Channel Logout 1.0 §2.6. */
  LOGOUT_TOKEN_INVALID: 400,
  /** The issuer's signing keys could not be fetched: nothing was decided about the token. */
  ISSUER_KEYS_UNAVAILABLE: 503,
  /** The shared store did not answer; session checks fail closed. */
  STORE_UNAVAILABLE: 503,
  /** The app session is over (signed out, revoked, expired, refresh refused). */
  SESSION_ENDED: 401,
  /** Keycloak's Account API refused the user's access token (audience `account` or role `manage-account` missing). */
  ACCOUNT_API_REFUSED: 403,
  /** Keycloak did not answer, or answered something unexpected: nothing was changed, try again later. */
  KEYCLOAK_UNAVAILABLE: 503,
  /** The request used a method the route does not serve. */
  METHOD_NOT_ALLOWED: 405,
  /** The route takes a JSON body (a cross-site form cannot send one without a CORS preflight). */
  JSON_REQUIRED: 415,
  /** The request is malformed (a missing field, a body that is not a form). */
  BAD_REQUEST: 400,
  /** The body is larger than the route accepts. */
  BODY_TOO_LARGE: 413,
} as const;

/** A known error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

// A registered symbol is the same in every copy of this module: Next bundles pages and API routes separately,
// so `instanceof` fails for an error created by the other bundle's copy of the class.
const APP_ERROR = Symbol.for("keycloak-nextauth.AppError");

/** An error with a code a caller can branch on, an HTTP status and an optional cause. */
export class AppError extends Error {
  readonly [APP_ERROR] = true;
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
    this.status = ERROR_STATUS[code];
  }
}

/** True for an AppError from any bundle's copy of this module; with `code`, only for that code. */
export function isAppError<C extends ErrorCode>(error: unknown, code?: C): error is AppError & { code: C } {
  if (typeof error !== "object" || error === null || (error as Record<symbol, unknown>)[APP_ERROR] !== true) return false;
  return code === undefined || (error as AppError).code === code;
}

/** The HTTP status for any thrown value: an AppError's own, 500 for anything else. */
export function httpStatusOf(error: unknown): number {
  return isAppError(error) ? error.status : 500;
}
