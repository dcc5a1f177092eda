// The provider's side of the sign-out handshake, timed from the benchmark: a real logout with a valid
// id_token_hint. The app's ID tokens never leave its server, so the benchmark gets its own, acting as the
// same confidential client (code flow with PKCE, like next-auth). Token values stay in memory.
import { createHash, randomBytes } from "node:crypto";
import { CookieJar, HttpFlowError, loginAtIdp } from "./httpSignIn.mjs";
import { httpRequest } from "./load.mjs";

/** Signs `username` in at the IdP and returns an ID token for client `clientId`. */
export async function idTokenFor({ issuer, clientId, clientSecret, redirectUri, username, password }) {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const authorize = new URL(`${issuer}/protocol/openid-connect/auth`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid email profile",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const redirect = new URL(await loginAtIdp({ jar, authorizeUrl: authorize.href, username, password, redirectUri }));
  const code = redirect.searchParams.get("code");
  if (!code || redirect.searchParams.get("state") !== state) throw new HttpFlowError("authorization code missing", 302);

  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.id_token) throw new HttpFlowError("code exchange at the token endpoint", response.status);
  return body.id_token;
}

/** POSTs a logout with `idToken` as hint to the end-session endpoint, as lib/keycloakLogout.ts does; returns the status. */
export function endSession({ issuer, clientId, idToken, agent }) {
  const body = new URLSearchParams({ id_token_hint: idToken, client_id: clientId }).toString();
  return httpRequest(`${issuer}/protocol/openid-connect/logout`, {
    method: "POST",
    agent,
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
    body,
  });
}
