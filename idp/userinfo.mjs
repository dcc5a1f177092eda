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
    const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
    sendJson(res, 200, {
      sub: claims.sub,
      email_verified: user.emailVerified,
      ...(name ? { name } : {}),
      preferred_username: user.username,
      ...(user.firstName ? { given_name: user.firstName } : {}),
      ...(user.lastName ? { family_name: user.lastName } : {}),
      ...(user.email ? { email: user.email } : {}),
    });
  };
}
