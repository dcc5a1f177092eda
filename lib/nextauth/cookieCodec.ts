import { hkdfSync, randomUUID, webcrypto } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

// next-auth v4's cookie format (jwt/index.js): JWE dir + A256GCM with an HKDF-derived key. Same bytes,
// so cookies from next-auth's own encode stay valid; the key is derived and imported once per secret, not
// per request (measured: about half the cost of an encode plus a decode).
const keys = new Map<string, Promise<CryptoKey>>();
const CLOCK_TOLERANCE_S = 15;

function derivedKey(secret: string | Buffer): Promise<CryptoKey> {
  const material = typeof secret === "string" ? secret : secret.toString("utf8");
  let key = keys.get(material);
  if (!key) {
    const raw = new Uint8Array(hkdfSync("sha256", material, "", "NextAuth.js Generated Encryption Key", 32));
    key = webcrypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]) as Promise<CryptoKey>;
    keys.set(material, key);
  }
  return key;
}

/** Fields that exist only while a request is handled; they never reach the cookie. */
function persisted(token: JWT): JWT {
  const { roles: _roles, error: _error, ...rest } = token;
  return rest;
}

/** next-auth's `jwt.encode`, with a cached key and without the request-only fields. */
export async function encodeSessionCookie(params: JWTEncodeParams): Promise<string> {
  const maxAge = params.maxAge ?? 30 * 24 * 60 * 60;
  return new EncryptJWT(persisted(params.token ?? {}))
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAge)
    .setJti(randomUUID())
    .encrypt(await derivedKey(params.secret));
}

/** next-auth's `jwt.decode`, with a cached key. */
export async function decodeSessionCookie(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  const { payload } = await jwtDecrypt(params.token, await derivedKey(params.secret), { clockTolerance: CLOCK_TOLERANCE_S });
  return payload as JWT;
}
