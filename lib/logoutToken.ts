import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from "jose";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
// Asymmetric algorithms only: an HMAC token "signed" with the public key can never pass.
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
// Keycloak 25+ sends `logout+jwt`; older versions `JWT`.
const ACCEPTED_TYP = new Set(["logout+jwt", "jwt", "application/logout+jwt"]);
const CLOCK_TOLERANCE_S = 10;
const MAX_TOKEN_AGE_S = 300;

/** A logout token that fails OpenID Connect Back-Channel Logout 1.0 §2.6; answered with 400. */
export class LogoutTokenError extends Error {
  readonly code = "LOGOUT_TOKEN_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "LogoutTokenError";
  }
}

/** The issuer's signing keys could not be fetched: nothing was decided about the token (answered 503). */
export class IssuerKeysUnavailableError extends Error {
  readonly code = "ISSUER_KEYS_UNAVAILABLE";
  constructor(options?: { cause?: unknown }) {
    super("The issuer's JWKS could not be fetched", options);
    this.name = "IssuerKeysUnavailableError";
  }
}

/** True for failures to fetch keys (timeout, non-200, bad JWKS, network), as opposed to a bad token. */
function isKeyFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (!(error instanceof errors.JOSEError)) return true;
  return error.code === "ERR_JOSE_GENERIC";
}

/** The validated claims the app acts on. */
export interface LogoutClaims {
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
  sub?: string;
  sid?: string;
}

/** Expected issuer and audience, and where the issuer's signing keys come from. */
export interface LogoutTokenExpectations {
  issuer: string;
  clientId: string;
  keys: JWTVerifyGetKey;
}

/** Validates a back-channel logout token per §2.6; throws LogoutTokenError naming the failed rule. */
export async function verifyLogoutToken(token: string, expected: LogoutTokenExpectations): Promise<LogoutClaims> {
  let typ: string | undefined;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    throw new LogoutTokenError("not a JWS compact token");
  }
  if (typ !== undefined && !ACCEPTED_TYP.has(typ.toLowerCase())) {
    throw new LogoutTokenError(`unexpected typ header "${typ}"`);
  }

  let payload;
  try {
    ({ payload } = await jwtVerify(token, expected.keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["iat", "exp", "jti"],
      // Keycloak's logout tokens live 120 s; an iat far in the past or future is refused.
      maxTokenAge: MAX_TOKEN_AGE_S,
    }));
  } catch (error) {
    if (isKeyFetchFailure(error)) throw new IssuerKeysUnavailableError({ cause: error });
    throw new LogoutTokenError(`signature or standard claims rejected (${(error as { code?: string }).code ?? "ERR"})`);
  }

  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== "object" || typeof events[BACKCHANNEL_EVENT] !== "object" || events[BACKCHANNEL_EVENT] === null) {
    throw new LogoutTokenError("events claim lacks the back-channel logout event");
  }
  if ("nonce" in payload) throw new LogoutTokenError("a logout token must not carry a nonce");
  const sub = typeof payload.sub === "string" && payload.sub ? payload.sub : undefined;
  const sid = typeof payload.sid === "string" && payload.sid ? payload.sid : undefined;
  if (!sub && !sid) throw new LogoutTokenError("neither sub nor sid is present");
  if (typeof payload.jti !== "string" || !payload.jti) throw new LogoutTokenError("jti must be a string");

  return { jti: payload.jti, exp: payload.exp as number, sub, sid };
}

const keySets = new Map<string, JWTVerifyGetKey>();

/** The issuer's JWKS (from discovery's jwks_uri), cached per URI with jose's refresh-on-unknown-kid. */
export function remoteKeys(jwksUri: string): JWTVerifyGetKey {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 3000, cooldownDuration: 30_000 });
    keySets.set(jwksUri, keys);
  }
  return keys;
}
