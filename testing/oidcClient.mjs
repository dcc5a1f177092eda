// @ts-check
// The app's side of the OpenID Connect code flow, done directly against an issuer (Keycloak's endpoint
// layout): PKCE S256 and state as next-auth's Keycloak provider sends them, the login form, the code
// exchange with client authentication, and the end-session call. For tests of the provider itself and for
// the benchmark's own tokens; token values stay in memory and never appear in a message.
import { createHash, randomBytes } from "node:crypto";
import { CookieJar } from "./cookieJar.mjs";
import { HttpFlowError } from "./httpFlowError.mjs";
import { completeLogin, followToFormOrCode } from "./loginForm.mjs";
import { CLIENT, USERS } from "./users.mjs";

export { CookieJar } from "./cookieJar.mjs";
export { submitLogin } from "./loginForm.mjs";

/** Where the realm's client sends codes by default (next-auth's callback on NEXTAUTH_URL). */
export const DEFAULT_REDIRECT_URI = "http://localhost:3000/api/auth/callback/keycloak";

/**
 * The client and user a login uses; every field but `issuer` has the realm's default (alice).
 * @typedef {{
 *   issuer: string,
 *   clientId?: string,
 *   clientSecret?: string,
 *   redirectUri?: string,
 *   username?: string,
 *   password?: string,
 *   prompt?: string,
 *   maxAge?: number,
 *   authMethod?: "basic" | "post",
 *   jar?: CookieJar,
 * }} LoginOptions
 */

/**
 * Token endpoint response fields the tests read.
 * @typedef {{ access_token: string, id_token: string, refresh_token: string, expires_in: number,
 *   refresh_expires_in: number, session_state: string, token_type: string, scope: string }} TokenSet
 */

/** @param {LoginOptions} options */
const withDefaults = (options) => ({
  clientId: CLIENT.id,
  clientSecret: CLIENT.secret,
  redirectUri: DEFAULT_REDIRECT_URI,
  username: USERS.alice.username,
  password: USERS.alice.password,
  ...options,
});

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1-4.2). */
export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/**
 * Starts an authorization request with PKCE and state and walks to the login form, or to the code when
 * the provider's session answers silently.
 * @param {LoginOptions & { jar: CookieJar }} options
 */
export async function authorize(options) {
  const o = withDefaults(options);
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString("base64url");
  const url = new URL(`${o.issuer}/protocol/openid-connect/auth`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    scope: "openid email profile",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...(o.prompt ? { prompt: o.prompt } : {}),
    ...(o.maxAge !== undefined ? { max_age: String(o.maxAge) } : {}),
  }).toString();
  return { result: await followToFormOrCode(options.jar, url.href), verifier, state };
}

/**
 * A POST to the token endpoint with client authentication (Basic by default, as next-auth does).
 * @param {string} issuer
 * @param {Record<string, string>} params
 * @param {Pick<LoginOptions, "clientId" | "clientSecret" | "authMethod">} [options]
 * @returns {Promise<{ status: number, body: Record<string, unknown> }>}
 */
export async function tokenRequest(issuer, params, options = {}) {
  const o = withDefaults({ issuer, ...options });
  /** @type {Record<string, string>} */
  const headers = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams(params);
  if (o.authMethod === "post") {
    body.set("client_id", o.clientId);
    body.set("client_secret", o.clientSecret);
  } else {
    const credentials = `${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, { method: "POST", headers, body });
  return { status: response.status, body: /** @type {Record<string, unknown>} */ (await response.json().catch(() => ({}))) };
}

/**
 * The whole code flow: authorize, the login form (unless SSO answers silently), the code exchange.
 * @param {LoginOptions} options
 * @returns {Promise<{ jar: CookieJar, tokens: TokenSet, silent: boolean }>}
 */
export async function login(options) {
  const o = withDefaults(options);
  const jar = o.jar ?? new CookieJar();
  const { result, verifier, state } = await authorize({ ...o, jar });
  const redirect = await completeLogin(jar, result, o);
  if (redirect.state !== state) throw new HttpFlowError("login: the state came back changed", undefined, redirect.location);
  const { status, body } = await tokenRequest(
    o.issuer,
    { grant_type: "authorization_code", code: redirect.code, redirect_uri: o.redirectUri, code_verifier: verifier },
    o,
  );
  if (status !== 200) throw new HttpFlowError(`code exchange (${String(body.error)})`, status, `${o.issuer}/protocol/openid-connect/token`);
  return { jar, tokens: /** @type {TokenSet} */ (/** @type {unknown} */ (body)), silent: redirect.silent };
}

/**
 * Decodes a JWT's header and payload without verifying it (tests only).
 * @param {string} token
 * @returns {{ header: Record<string, unknown>, payload: Record<string, any> }}
 */
export function decodeJwt(token) {
  const [header, payload] = token.split(".");
  const json = (/** @type {string} */ part) => JSON.parse(Buffer.from(part, "base64url").toString());
  return { header: json(header), payload: json(payload) };
}
