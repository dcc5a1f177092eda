import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from "jose";
import { AppError } from "../errors";

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
// Asymmetric algorithms only: an HMAC token "signed" with the public key can never pass.
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
// Keycloak 25+ sends `logout+jwt`; older versions `JWT`.
const ACCEPTED_TYP = new Set(["logout+jwt", "jwt", "application/logout+jwt"]);
const CLOCK_TOLERANCE_S = 10;
const MAX_TOKEN_AGE_S = 300;

const invalid = (rule: string) => new AppError("LOGOUT_TOKEN_INVALID", rule);

// Read by code, not by class: Next may bundle jose more than once, and `instanceof` fails across copies.
const KEY_FETCH_CODES = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID", "ERR_JOSE_GENERIC"]);

/** True for failures to fetch keys (timeout, non-200, bad JWKS, network), as opposed to a bad token. */
function isKeyFetchFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_J")) return true;
  return KEY_FETCH_CODES.has(code);
}

/** The validated claims the app acts on. */
export interface LogoutClaims {
  jti: string;
  /** Seconds since the epoch. */
  exp: number;
  sub?: string;
  sid?: string;
}

/** Expected issuer and audience, and where the issuer's signing keys come from (fetched only when needed). */
export interface LogoutTokenExpectations {
  issuer: string;
  clientId: string;
  keys: () => Promise<JWTVerifyGetKey>;
}

function hasBackchannelEvent(events: unknown): boolean {
  const event = (events as Record<string, unknown> | null | undefined)?.[BACKCHANNEL_EVENT];
  return typeof events === "object" && events !== null && typeof event === "object" && event !== null;
}

/**
 * Validates a back-channel logout token per OpenID Connect Back-Channel Logout 1.0 §2.6. The token's shape, `typ`,
 * `iss`, `aud` and event are checked before any key is fetched, so junk never causes an outbound request.
 * Throws LOGOUT_TOKEN_INVALID naming the failed rule, or ISSUER_KEYS_UNAVAILABLE when nothing could be decided.
 */
export async function verifyLogoutToken(token: string, expected: LogoutTokenExpectations): Promise<LogoutClaims> {
  let typ: string | undefined;
  let unverified: ReturnType<typeof decodeJwt>;
  try {
    typ = decodeProtectedHeader(token).typ;
    unverified = decodeJwt(token);
  } catch {
    throw invalid("not a JWS compact token");
  }
  if (typ !== undefined && !ACCEPTED_TYP.has(typ.toLowerCase())) throw invalid(`unexpected typ header "${typ}"`);
  if (unverified.iss !== expected.issuer) throw invalid("iss is not this app's issuer");
  if (!hasBackchannelEvent(unverified.events)) throw invalid("events claim lacks the back-channel logout event");

  let keys: JWTVerifyGetKey;
  try {
    keys = await expected.keys();
  } catch (cause) {
    throw new AppError("ISSUER_KEYS_UNAVAILABLE", "The issuer's signing keys could not be located", { cause });
  }

  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["iat", "exp", "jti"],
      // Keycloak's logout tokens live 120 s; an iat far in the past or future is refused.
      maxTokenAge: MAX_TOKEN_AGE_S,
    }));
  } catch (error) {
    if (isKeyFetchFailure(error)) {
      throw new AppError("ISSUER_KEYS_UNAVAILABLE", "The issuer's JWKS could not be fetched", { cause: error });
    }
    throw invalid(`signature or standard claims rejected (${(error as { code?: string }).code ?? "ERR"})`);
  }

  if (!hasBackchannelEvent(payload.events)) throw invalid("events claim lacks the back-channel logout event");
  if ("nonce" in payload) throw invalid("a logout token must not carry a nonce");
  const sub = typeof payload.sub === "string" && payload.sub ? payload.sub : undefined;
  const sid = typeof payload.sid === "string" && payload.sid ? payload.sid : undefined;
  if (!sub && !sid) throw invalid("neither sub nor sid is present");
  if (typeof payload.jti !== "string" || !payload.jti) throw invalid("jti must be a string");

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
