import { compactVerify, jwtVerify } from "jose";

/** Verifies realm-signed tokens the app sends back: ID token hints and Bearer access tokens. */
export function createVerifier({ issuer, publicKey, clientId }) {
  return {
    /**
     * Claims of a valid id_token_hint, or undefined. Expired hints are accepted
     * (RP-Initiated Logout 1.0 §2); access and refresh tokens are not ID tokens.
     */
    async idTokenHint(token) {
      try {
        const { payload } = await compactVerify(String(token), publicKey, { algorithms: ["RS256"] });
        const claims = JSON.parse(Buffer.from(payload).toString("utf8"));
        const aud = [claims.aud].flat();
        const azp = claims.azp ?? (aud.length === 1 ? aud[0] : undefined);
        if (claims.iss !== issuer || claims.typ !== "ID" || azp !== clientId || !aud.includes(clientId)) return undefined;
        return { ...claims, azp };
      } catch {
        return undefined;
      }
    },
    /** Claims of a valid, unexpired access token, or undefined. */
    async accessToken(token) {
      try {
        const { payload } = await jwtVerify(String(token), publicKey, { algorithms: ["RS256"], issuer });
        return payload.typ === "Bearer" ? payload : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
