import { createSecretKey, generateKeyPairSync, hkdfSync, randomUUID } from "node:crypto";

/** Creates the realm's RS256 signing key (new per start) and the HS512 refresh-token key (derived, stable). */
export function createKeys(config) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const privateJwk = { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const refreshKey = createSecretKey(
    Buffer.from(hkdfSync("sha512", config.devSecret, config.realmName, "refresh-token", 64)),
  );
  return {
    kid,
    privateKey,
    publicKey,
    jwks: { keys: [privateJwk] },
    refreshKey,
    // Keycloak names its HMAC key too; the value only has to be stable across restarts.
    refreshKid: stableUuid(config.realmName),
  };
}

function stableUuid(seed) {
  const hex = Buffer.from(hkdfSync("sha256", seed, "kid", "refresh-kid", 16)).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
