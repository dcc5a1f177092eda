import { startIdp } from "@/testing/idpServer.mjs";
import { setupIdp } from "@/testing/setupIdp";
import { CookieJar, authorize, decodeJwt, login, submitLogin, tokenRequest } from "@/testing/oidcClient.mjs";

const idp = setupIdp();

describe("discovery", () => {
  it("publishes Keycloak's endpoint layout under /realms/<realm>", async () => {
    const response = await fetch(`${idp().issuer}/.well-known/openid-configuration`);
    const doc = await response.json();
    const base = `${idp().issuer}/protocol/openid-connect`;
    expect(doc).toMatchObject({
      issuer: idp().issuer,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/certs`,
      userinfo_endpoint: `${base}/userinfo`,
      end_session_endpoint: `${base}/logout`,
      revocation_endpoint: `${base}/revoke`,
      introspection_endpoint: `${base}/token/introspect`,
      backchannel_logout_supported: true,
    });
    expect(doc.code_challenge_methods_supported).toContain("S256");
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
  });

  it("answers 404 JSON for an unknown realm", async () => {
    const response = await fetch(`${idp().origin}/realms/other/.well-known/openid-configuration`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "Realm does not exist" });
  });
});

describe("sign-in", () => {
  it("shows a Keycloak-like login form and rejects a wrong password", async () => {
    const jar = new CookieJar();
    const { result } = await authorize({ issuer: idp().issuer, jar });
    if (result.kind !== "form") throw new Error("expected the login form");
    expect(result.html).toContain("Sign in to your account");
    expect(result.html).toMatch(/id="username"[^>]*name="username"|name="username"[^>]*id="username"/);
    expect(result.html).toContain('id="password"');
    expect(result.html).toContain('id="kc-login"');
    expect(result.html).not.toMatch(/https?:\/\/(?!localhost)/);

    const again = await submitLogin(jar, result.action, "alice", "wrong");
    expect(again.kind).toBe("form");
    if (again.kind === "form") expect(again.html).toContain("Invalid username or password.");
  });

  it("issues Keycloak-shaped id, access and refresh tokens for a code with PKCE (client_secret_basic)", async () => {
    const { tokens } = await login({ issuer: idp().issuer });
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.expires_in).toBe(300);
    expect(tokens.refresh_expires_in).toBe(1800);

    const access = decodeJwt(tokens.access_token);
    const id = decodeJwt(tokens.id_token);
    const refresh = decodeJwt(tokens.refresh_token);

    expect(access.header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(access.payload).toMatchObject({
      iss: idp().issuer,
      aud: "account",
      azp: "nextjs-app",
      typ: "Bearer",
      scope: "openid email profile",
      preferred_username: "alice",
      name: "Alice Example",
      email: "alice@example.com",
      realm_access: { roles: ["user"] },
      resource_access: {
        "nextjs-app": { roles: ["viewer"] },
        account: { roles: ["manage-account", "manage-account-links", "view-profile"] },
      },
    });
    expect(access.payload.sid).toEqual(expect.any(String));
    expect(tokens.access_token.length).toBeGreaterThan(900);

    expect(id.header.alg).toBe("RS256");
    expect(id.payload).toMatchObject({
      iss: idp().issuer,
      aud: "nextjs-app",
      azp: "nextjs-app",
      typ: "ID",
      sub: access.payload.sub,
      sid: access.payload.sid,
      name: "Alice Example",
      preferred_username: "alice",
      given_name: "Alice",
      family_name: "Example",
      email: "alice@example.com",
    });
    expect(id.payload.realm_access).toBeUndefined();

    expect(refresh.header).toMatchObject({ alg: "HS512" });
    expect(refresh.payload).toMatchObject({ iss: idp().issuer, aud: idp().issuer, typ: "Refresh", azp: "nextjs-app", sid: access.payload.sid, sub: access.payload.sub });
    expect(refresh.payload.exp - refresh.payload.iat).toBe(1800);
    expect(tokens.session_state).toBe(access.payload.sid);
  });

  it("accepts client_secret_post at the token endpoint", async () => {
    const { tokens } = await login({ issuer: idp().issuer, authMethod: "post", username: "admin", password: "admin-password" });
    const access = decodeJwt(tokens.access_token).payload;
    expect(access.realm_access.roles).toEqual(["user", "admin"]);
    // No role of this app's client: only the account client's roles, as Keycloak puts them.
    expect(Object.keys(access.resource_access)).toEqual(["account"]);
  });

  it("puts 41 realm roles in the many-roles user's access token", async () => {
    const { tokens } = await login({ issuer: idp().issuer, username: "many-roles", password: "many-roles-password" });
    expect(decodeJwt(tokens.access_token).payload.realm_access.roles).toHaveLength(41);
  });

  it("answers a live SSO session silently with a code, but shows the form for prompt=login", async () => {
    const { jar } = await login({ issuer: idp().issuer });
    const silent = await authorize({ issuer: idp().issuer, jar });
    expect(silent.result.kind).toBe("code");
    const forced = await authorize({ issuer: idp().issuer, jar, prompt: "login" });
    expect(forced.result.kind).toBe("form");
  });

  it("fits a phone's width, follows the reader's dark scheme, needs no /favicon.ico, and lists the realm's test users", async () => {
    const { result } = await authorize({ issuer: idp().issuer, jar: new CookieJar() });
    if (result.kind !== "form") throw new Error("expected the login form");
    expect(result.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(result.html).toContain("@media (prefers-color-scheme:dark)");
    expect(result.html).toMatch(/<link rel="icon" href="data:image\/svg\+xml,/);
    expect(result.html).toContain("Test users of this realm");
    for (const secret of ["<code>alice</code>", "<code>alice-password</code>", "<code>admin</code>", "<code>many-roles-password</code>"]) {
      expect(result.html).toContain(secret);
    }
  });

  it("lists no test users when IDP_SHOW_TEST_USERS=false", async () => {
    const quiet = await startIdp({ env: { IDP_SHOW_TEST_USERS: "false" } });
    try {
      const { result } = await authorize({ issuer: quiet.issuer, jar: new CookieJar() });
      if (result.kind !== "form") throw new Error("expected the login form");
      expect(result.html).not.toContain("alice-password");
    } finally {
      await quiet.stop();
    }
  });

  it("refreshes with the refresh_token grant and keeps the session id", async () => {
    const { tokens } = await login({ issuer: idp().issuer });
    const { status, body } = await tokenRequest(idp().issuer, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(status).toBe(200);
    // The token endpoint reads the body once to unwrap the refresh token, then hands oidc-provider a fresh stream.
    expect(idp().output()).not.toContain("already parsed request body");
    expect(body.session_state).toBe(tokens.session_state);
    expect(decodeJwt(body.id_token as string).payload.sid).toBe(tokens.session_state);
    expect(body.refresh_expires_in).toBe(1800);
  });

  it("rejects a tampered refresh token with invalid_grant", async () => {
    const { tokens } = await login({ issuer: idp().issuer });
    const [h, p, s] = tokens.refresh_token.split(".");
    const tampered = `${h}.${p}.${s.slice(0, -4)}AAAA`;
    const { status, body } = await tokenRequest(idp().issuer, { grant_type: "refresh_token", refresh_token: tampered });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
  });

  it("serves userinfo for the JWT access token and 401 for a bad one", async () => {
    const { tokens } = await login({ issuer: idp().issuer });
    const ok = await fetch(`${idp().issuer}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ preferred_username: "alice", name: "Alice Example", email: "alice@example.com" });
    const bad = await fetch(`${idp().issuer}/protocol/openid-connect/userinfo`, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
  });
});
