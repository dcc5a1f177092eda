import { profileClaims } from "./accounts.mjs";
import { sendJson } from "./http.mjs";

/** Keycloak's userinfo: takes the JWT access token as Bearer and needs its session to be live. */
export function createUserinfo({ verifier, store, accounts }) {
  return async function handleUserinfo(req, res) {
    const [scheme, token] = String(req.headers.authorization ?? "").split(" ");
    const claims = scheme?.toLowerCase() === "bearer" && token ? await verifier.accessToken(token) : undefined;
    const user = claims && store.sessionUidForSid(claims.sid) && accounts.byId(claims.sub);
    if (!user) {
      res.setHeader("www-authenticate", 'Bearer realm="idp", error="invalid_token", error_description="Token verification failed"');
      sendJson(res, 401, { error: "invalid_token", error_description: "Token verification failed" });
      return;
    }
    sendJson(res, 200, { sub: claims.sub, ...profileClaims(user) });
  };
}
