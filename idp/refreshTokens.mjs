import { SignJWT, jwtVerify, errors } from "jose";

/**
 * Keycloak-shaped refresh tokens: an HS512 JWT (key not published) around oidc-provider's opaque value,
 * which travels in `jti`.
 */
export function createRefreshTokenCodec({ issuer, key, kid }) {
  return {
    /** Wraps an opaque refresh token into a Keycloak-like JWT that expires in `expiresInS`. */
    async wrap({ opaque, sub, azp, sid, scope, expiresInS }) {
      const iat = Math.floor(Date.now() / 1000);
      const payload = { exp: iat + expiresInS, iat, jti: opaque, iss: issuer, aud: issuer, sub, typ: "Refresh", azp, sid, scope };
      return new SignJWT(payload).setProtectedHeader({ alg: "HS512", typ: "JWT", kid }).sign(key);
    },
    /**
     * Checks a wrapped token and returns `{ opaque, claims }`, or `{ error }` with Keycloak's wording.
     * Logout accepts expired refresh tokens, as Keycloak does; the token endpoint does not.
     */
    async unwrap(token, { allowExpired = false } = {}) {
      try {
        const { payload } = await jwtVerify(String(token), key, {
          algorithms: ["HS512"],
          issuer,
          audience: issuer,
          typ: "JWT",
          ...(allowExpired ? { currentDate: new Date(0) } : {}),
        });
        if (payload.typ !== "Refresh" || typeof payload.jti !== "string") return { error: "Invalid refresh token" };
        return { opaque: payload.jti, claims: payload };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { error: "Token is not active" };
        return { error: "Invalid refresh token" };
      }
    },
  };
}
