import { randomUUID } from "node:crypto";
import {
  SignJWT,
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type CryptoKey,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { CLIENT_ID, ISSUER } from "./keycloak";

export const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
export const REALM_KID = "realm-key-1";

/** A realm signing key with its JWKS, and an unrelated key an attacker could hold. */
export interface RealmKeys {
  realmKey: { privateKey: CryptoKey; publicKey: CryptoKey };
  otherKey: { privateKey: CryptoKey; publicKey: CryptoKey };
  /** The realm's JWKS as the app would fetch it. */
  keys: JWTVerifyGetKey;
  /** The realm's public key as PEM, for HMAC key-confusion forgeries. */
  publicSpki: string;
}

/** Generates the keys; call once per test file (RSA generation takes a moment). */
export async function createRealmKeys(): Promise<RealmKeys> {
  const realmKey = await generateKeyPair("RS256", { extractable: true });
  const otherKey = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(realmKey.publicKey)), kid: REALM_KID, alg: "RS256", use: "sig" };
  return { realmKey, otherKey, keys: createLocalJWKSet({ keys: [jwk] }), publicSpki: await exportSPKI(realmKey.publicKey) };
}

/** The realm's keys for a test file: generated in its beforeAll, read through the returned object in the tests. */
export function setupRealmKeys(): RealmKeys {
  const realm = {} as RealmKeys;
  beforeAll(async () => {
    Object.assign(realm, await createRealmKeys());
  });
  return realm;
}

/** Keycloak 26's logout token claims (ResourceAdminManager / LogoutToken.java); undefined removes a claim. */
export function logoutClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const iat = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = {
    iss: ISSUER,
    aud: CLIENT_ID,
    iat,
    exp: iat + 120,
    jti: randomUUID(),
    sub: "user-alice",
    sid: "sid-alice-1",
    typ: "Logout",
    events: { [BACKCHANNEL_EVENT]: {} },
    ...overrides,
  };
  for (const [key, value] of Object.entries(all)) if (value === undefined) delete all[key];
  return all as JWTPayload;
}

/** Signs claims as the realm does: RS256, the realm kid, typ logout+jwt unless told otherwise. */
export function signLogoutToken(claims: JWTPayload, key: CryptoKey, typ = "logout+jwt", kid = REALM_KID): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ }).sign(key);
}
