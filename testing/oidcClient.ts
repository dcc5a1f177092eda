// A tiny browser stand-in for tests: a cookie jar and the authorization-code flow with PKCE.
import { createHash, randomBytes } from "node:crypto";

/** Cookies by name for one host (paths ignored: enough for the IdP's cookies). */
export class CookieJar {
  private cookies = new Map<string, string>();

  /** Stores the Set-Cookie headers of a response. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(i + 1).trim());
    }
  }

  /** The Cookie header value. */
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** A fetch that sends and stores cookies and never follows redirects. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.header());
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(response);
    return response;
  }
}

/** The client and user a login uses. */
export interface LoginOptions {
  issuer: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  username?: string;
  password?: string;
  prompt?: string;
  /** How the client authenticates at the token endpoint; next-auth uses "basic". */
  authMethod?: "basic" | "post";
  jar?: CookieJar;
}

/** What the authorization endpoint ended in: the login form, or a redirect with a code. */
export type AuthorizeResult =
  | { kind: "form"; html: string; action: string; status: number }
  | { kind: "code"; code: string; state: string | null; location: string };

/** Token endpoint response fields the tests read. */
export interface TokenSet {
  access_token: string;
  id_token: string;
  refresh_token: string;
  expires_in: number;
  refresh_expires_in: number;
  session_state: string;
  token_type: string;
  scope: string;
}

const defaults = {
  clientId: "nextjs-app",
  clientSecret: "nextjs-app-secret",
  redirectUri: "http://localhost:3000/api/auth/callback/keycloak",
  username: "alice",
  password: "alice-password",
};

/** Follows redirects from `url` until the login form or the client's redirect URI. */
export async function followToFormOrCode(jar: CookieJar, url: string, redirectUri: string, init?: RequestInit): Promise<AuthorizeResult> {
  let response = await jar.fetch(url, init);
  for (let hops = 0; hops < 10; hops += 1) {
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url).href;
      if (next.startsWith(redirectUri)) {
        const params = new URL(next).searchParams;
        const code = params.get("code");
        if (!code) throw new Error(`redirect without code: ${next}`);
        return { kind: "code", code, state: params.get("state"), location: next };
      }
      url = next;
      response = await jar.fetch(url);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no login form (status ${response.status}): ${html.slice(0, 300)}`);
    return { kind: "form", html, action: new URL(action.replace(/&amp;/g, "&"), url).href, status: response.status };
  }
  throw new Error("too many redirects");
}

/** Starts an authorization request with PKCE S256 and state, as next-auth's Keycloak provider does. */
export async function authorize(opts: LoginOptions & { jar: CookieJar }) {
  const o = { ...defaults, ...opts };
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const url = new URL(`${o.issuer}/protocol/openid-connect/auth`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    scope: "openid email profile",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...(o.prompt ? { prompt: o.prompt } : {}),
  }).toString();
  const result = await followToFormOrCode(o.jar, url.href, o.redirectUri);
  return { result, verifier, state };
}

/** Submits the login form. */
export async function submitLogin(jar: CookieJar, action: string, username: string, password: string, redirectUri = defaults.redirectUri) {
  return followToFormOrCode(jar, action, redirectUri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
}

/** Calls the token endpoint with client authentication; returns status and JSON body. */
export async function tokenRequest(issuer: string, params: Record<string, string>, opts: Pick<LoginOptions, "clientId" | "clientSecret" | "authMethod"> = {}) {
  const o = { ...defaults, ...opts };
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams(params);
  if (o.authMethod === "post") {
    body.set("client_id", o.clientId);
    body.set("client_secret", o.clientSecret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString("base64")}`;
  }
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Full login: authorize, fill the form (unless SSO answers silently), exchange the code. */
export async function login(opts: LoginOptions) {
  const o = { ...defaults, ...opts };
  const jar = opts.jar ?? new CookieJar();
  const { result, verifier, state } = await authorize({ ...o, jar });
  const final = result.kind === "form" ? await submitLogin(jar, result.action, o.username, o.password, o.redirectUri) : result;
  if (final.kind !== "code") throw new Error(`login failed: ${final.html.slice(0, 300)}`);
  if (final.state !== state) throw new Error("state mismatch");
  const { status, body } = await tokenRequest(
    o.issuer,
    { grant_type: "authorization_code", code: final.code, redirect_uri: o.redirectUri, code_verifier: verifier },
    o,
  );
  if (status !== 200) throw new Error(`token exchange failed: ${status} ${JSON.stringify(body)}`);
  return { jar, tokens: body as unknown as TokenSet, silent: result.kind === "code" };
}

/** Decodes a JWT's header and payload without verifying (tests only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary nested claims
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, any> } {
  const [h, p] = token.split(".");
  return { header: JSON.parse(Buffer.from(h, "base64url").toString()), payload: JSON.parse(Buffer.from(p, "base64url").toString()) };
}
