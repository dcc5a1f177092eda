import { createCipheriv, createSecretKey, hkdfSync, randomBytes, randomUUID, webcrypto, type KeyObject } from "node:crypto";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";
import { absoluteEndMs } from "../../session/sessionPolicy";

// Mirrors next-auth 4.24 `jwt/index.js` (encode, decode). next-auth v4's cookie format: a compact JWE, `dir` + A256GCM, with a key derived by HKDF from the
// secret (docs/decisions/0002-cookie-codec.md). Same bytes as jose writes, so cookies from next-auth's own encode
// stay valid and next-auth's decode reads ours. The key is derived once per secret. Encryption (sign-in, refresh) is
// synchronous node:crypto. Decryption is WebCrypto: in the running app a node:crypto decipher costs about 55 µs of
// main-thread CPU just to create (OpenSSL looks the cipher up at every init), WebCrypto's job much less
// (bench/read-path.md, second pass), and the read path decrypts only cookies it has not seen.

/** next-auth's decode allows this much clock skew on `exp` and `nbf` (jose's clockTolerance), in seconds. */
const CLOCK_TOLERANCE_S = 15;
/** next-auth's default cookie lifetime when none is given (30 days), in seconds. */
const DEFAULT_MAX_AGE_S = 30 * 24 * 60 * 60;
const PROTECTED_HEADER = Buffer.from(JSON.stringify({ alg: "dir", enc: "A256GCM" })).toString("base64url");
/** The protected header as the AAD of every cookie this app writes (next-auth's too: jose writes the same header). */
const PROTECTED_HEADER_AAD = Buffer.from(PROTECTED_HEADER, "ascii");
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keys = new Map<string, KeyObject>();
const decryptionKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

/** next-auth's derived encryption key, once per secret, as a KeyObject (no key bytes copied per cookie). */
function derivedKey(secret: string | Buffer): KeyObject {
  const material = typeof secret === "string" ? secret : secret.toString("utf8");
  let key = keys.get(material);
  if (!key) {
    key = createSecretKey(Buffer.from(hkdfSync("sha256", material, "", "NextAuth.js Generated Encryption Key", 32)));
    keys.set(material, key);
  }
  return key;
}

/** The same key as a WebCrypto key that can only decrypt, once per secret. */
function decryptionKey(secret: string | Buffer): Promise<webcrypto.CryptoKey> {
  const material = typeof secret === "string" ? secret : secret.toString("utf8");
  let key = decryptionKeys.get(material);
  if (!key) {
    key = webcrypto.subtle.importKey("raw", derivedKey(material).export(), "AES-GCM", false, ["decrypt"]);
    decryptionKeys.set(material, key);
  }
  return key;
}

/** A cookie that is not a session this secret wrote: tampered, foreign, expired or malformed. */
export class InvalidSessionCookieError extends Error {
  constructor(reason: string) {
    super(`Invalid session cookie: ${reason}`);
    this.name = "InvalidSessionCookieError";
  }
}

const nowS = () => Math.floor(Date.now() / 1000);

/** Fields that exist only while a request is handled; they never reach the cookie. */
function persisted(token: JWT): JWT {
  const { roles: _roles, error: _error, accessToken: _accessToken, ...rest } = token;
  return rest;
}

/**
 * Encrypts a session token as next-auth's `jwt.encode` does (fresh iat, exp and jti), minus request-only fields.
 * `exp` never passes sign-in plus `maxAgeS`: a re-encode (useSession's update(), a refresh) cannot extend a session.
 */
export function encodeSessionToken(token: JWT, secret: string | Buffer, maxAgeS = DEFAULT_MAX_AGE_S): string {
  const iat = nowS();
  const endS = typeof token.signedInAtMs === "number" ? Math.floor(absoluteEndMs(token.signedInAtMs, maxAgeS) / 1000) : iat + maxAgeS;
  const exp = Math.min(iat + maxAgeS, endS);
  const payload = Buffer.from(JSON.stringify({ ...persisted(token), iat, exp, jti: randomUUID() }));
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(PROTECTED_HEADER_AAD);
  const ciphertext = Buffer.concat([cipher.update(payload), cipher.final()]);
  return `${PROTECTED_HEADER}..${iv.toString("base64url")}.${ciphertext.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}`;
}

/**
 * Decrypts and checks a session cookie as next-auth's `jwt.decode` does (jose's jwtDecrypt with a 15 s clock
 * tolerance); rejects with InvalidSessionCookieError for anything else.
 */
export async function decodeSessionToken(jwe: string, secret: string | Buffer): Promise<JWT> {
  const parts = jwe.split(".");
  if (parts.length !== 5) throw new InvalidSessionCookieError("not a compact JWE");
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = parts;
  // The header every cookie of this app (and of next-auth's own encode) carries is known good: parsed once, above.
  if (protectedHeader !== PROTECTED_HEADER) checkHeader(protectedHeader);
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (encryptedKey !== "" || ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new InvalidSessionCookieError("malformed JWE");
  }

  let plaintext: ArrayBuffer;
  try {
    plaintext = await webcrypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: ivBytes,
        additionalData: protectedHeader === PROTECTED_HEADER ? PROTECTED_HEADER_AAD : Buffer.from(protectedHeader, "ascii"),
        tagLength: TAG_BYTES * 8,
      },
      await decryptionKey(secret),
      // WebCrypto takes the tag after the ciphertext.
      Buffer.concat([Buffer.from(ciphertext, "base64url"), tagBytes]),
    );
  } catch {
    throw new InvalidSessionCookieError("decryption failed (tampered, or another secret)");
  }

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(plaintext).toString("utf8"));
  } catch {
    throw new InvalidSessionCookieError("claims are not JSON");
  }
  if (!isObject(payload)) throw new InvalidSessionCookieError("claims are not an object");
  checkTimes(payload);
  return payload as JWT;
}

/** jose's checks of a protected header other than the one this codec writes; throws InvalidSessionCookieError. */
function checkHeader(protectedHeader: string): void {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(protectedHeader, "base64url").toString("utf8"));
  } catch {
    throw new InvalidSessionCookieError("unreadable header");
  }
  if (!isObject(header) || header.alg !== "dir" || header.enc !== "A256GCM" || "zip" in header || "crit" in header) {
    throw new InvalidSessionCookieError("unexpected header");
  }
}

/** jose's checks of iat, nbf and exp, with next-auth's tolerance; throws InvalidSessionCookieError. */
export function checkTimes(claims: Record<string, unknown>): void {
  const now = nowS();
  if (claims.iat !== undefined && typeof claims.iat !== "number") throw new InvalidSessionCookieError("iat is not a number");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now + CLOCK_TOLERANCE_S)) {
    throw new InvalidSessionCookieError("not valid yet");
  }
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || claims.exp <= now - CLOCK_TOLERANCE_S)) {
    throw new InvalidSessionCookieError("expired");
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** next-auth's `jwt.encode` option: the same format, synchronous underneath. */
export async function encodeSessionCookie(params: JWTEncodeParams): Promise<string> {
  return encodeSessionToken(params.token ?? {}, params.secret, params.maxAge);
}

/** next-auth's `jwt.decode` option: the same checks. */
export async function decodeSessionCookie(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  return decodeSessionToken(params.token, params.secret);
}
