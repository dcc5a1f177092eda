import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "@/idp/config.mjs";
import { loadRealm, resolvePlaceholders } from "@/idp/realm.mjs";

// What Keycloak 26's import and the app need from keycloak/realm-nextjs.json (also the IdP's source of truth),
// with its placeholders resolved as Keycloak resolves them when no variable is set.
const REALM_FILE = path.resolve(__dirname, "../../keycloak/realm-nextjs.json");
const raw = JSON.parse(readFileSync(REALM_FILE, "utf8"));
const realm = resolvePlaceholders(raw, {});
const client = realm.clients.find((c: { clientId: string }) => c.clientId === "nextjs-app");
const user = (username: string) => realm.users.find((u: { username: string }) => u.username === username);

describe("realm file", () => {
  it("defines the enabled realm nextjs with Keycloak's default lifetimes and no rotation", () => {
    expect(realm).toMatchObject({
      realm: "nextjs",
      enabled: true,
      accessTokenLifespan: 300,
      ssoSessionIdleTimeout: 1800,
      ssoSessionMaxLifespan: 36000,
      revokeRefreshToken: false,
    });
  });

  it("defines the realm roles user, admin and role-01 to role-40", () => {
    const names = realm.roles.realm.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(["user", "admin", "role-01", "role-40"]));
    expect(names).toHaveLength(42);
    expect(realm.roles.client["nextjs-app"].map((r: { name: string }) => r.name)).toEqual(["viewer"]);
  });

  it("has an enabled confidential client with a secret and the standard flow only", () => {
    expect(client).toMatchObject({
      enabled: true,
      protocol: "openid-connect",
      publicClient: false,
      clientAuthenticatorType: "client-secret",
      secret: "nextjs-app-secret",
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
    });
  });

  it("registers the next-auth callback and the app's post-logout redirect URIs, by default on localhost:3000", () => {
    expect(client.rootUrl).toBe("http://localhost:3000");
    expect(client.redirectUris).toEqual(["http://localhost:3000/api/auth/callback/keycloak"]);
    expect(client.webOrigins).toEqual(["http://localhost:3000"]);
    expect(client.attributes["post.logout.redirect.uris"]).toBe("http://localhost:3000/*");
    expect(client.attributes["pkce.code.challenge.method"]).toBe("S256");
  });

  it("moves every app URL to NEXTJS_APP_URL", () => {
    const moved = resolvePlaceholders(raw, { NEXTJS_APP_URL: "http://localhost:3100" }).clients.find((c: { clientId: string }) => c.clientId === "nextjs-app");
    expect(moved.rootUrl).toBe("http://localhost:3100");
    expect(moved.redirectUris).toEqual(["http://localhost:3100/api/auth/callback/keycloak"]);
    expect(moved.webOrigins).toEqual(["http://localhost:3100"]);
    expect(moved.attributes["post.logout.redirect.uris"]).toBe("http://localhost:3100/*");
    // The back-channel URL has its own variable (the idp and testing/keycloak.mjs derive it from the app's URL).
    const { "backchannel.logout.url": backchannel, ...others } = moved.attributes;
    expect(backchannel).toBe("http://localhost:3000/api/auth/backchannel-logout");
    expect(JSON.stringify({ ...moved, attributes: others })).not.toContain("localhost:3000");
  });

  it("uses back-channel logout with the session id, and no front-channel logout", () => {
    expect(client.frontchannelLogout).toBe(false);
    expect(client.attributes["backchannel.logout.url"]).toBe("http://localhost:3000/api/auth/backchannel-logout");
    expect(client.attributes["backchannel.logout.session.required"]).toBe("true");
  });

  it("sends back-channel logout to NEXTJS_BACKCHANNEL_LOGOUT_URL, which may differ from the browser's URL", () => {
    const env = { NEXTJS_BACKCHANNEL_LOGOUT_URL: "http://host.docker.internal:3000/api/auth/backchannel-logout" };
    expect(loadRealm(REALM_FILE, { env }).client).toMatchObject({
      backchannelLogoutUrl: "http://host.docker.internal:3000/api/auth/backchannel-logout",
      redirectUris: ["http://localhost:3000/api/auth/callback/keycloak"],
    });
  });

  it("keeps every client attribute a string, as Keycloak's import expects", () => {
    for (const value of Object.values(client.attributes)) expect(typeof value).toBe("string");
  });

  it.each([
    ["alice", "alice-password", ["user"]],
    ["admin", "admin-password", ["user", "admin"]],
    ["many-roles", "many-roles-password", ["user", "role-01", "role-40"]],
  ])("seeds %s with a permanent password and realm roles", (username, password, roles) => {
    const u = user(username);
    expect(u).toMatchObject({ enabled: true, emailVerified: true, email: `${username}@example.com` });
    expect(u.firstName).toEqual(expect.any(String));
    expect(u.lastName).toEqual(expect.any(String));
    expect(u.credentials).toEqual([{ type: "password", value: password, temporary: false }]);
    expect(u.realmRoles).toEqual(expect.arrayContaining(roles));
  });

  it("gives admin the admin role, alice the viewer client role, and many-roles 41 realm roles", () => {
    expect(user("admin").realmRoles).toContain("admin");
    expect(user("alice").realmRoles).not.toContain("admin");
    expect(user("alice").clientRoles).toEqual({ "nextjs-app": ["viewer"], account: ["manage-account", "view-profile"] });
    expect(user("many-roles").realmRoles).toHaveLength(41);
  });
});

describe("realm placeholders", () => {
  it("take the variable's value, else the default after the first colon", () => {
    expect(resolvePlaceholders("${APP:http://localhost:3000}/x", { APP: "http://a:1" })).toBe("http://a:1/x");
    expect(resolvePlaceholders("${APP:http://localhost:3000}/x", {})).toBe("http://localhost:3000/x");
    expect(resolvePlaceholders("${APP:http://localhost:3000}/x", { APP: "" })).toBe("http://localhost:3000/x");
  });

  it("resolve inside arrays and nested objects, leaving other values alone", () => {
    expect(resolvePlaceholders({ a: ["${V:1}"], b: { c: "${V:1}", n: 2, t: true } }, { V: "x" })).toEqual({ a: ["x"], b: { c: "x", n: 2, t: true } });
  });

  it("refuse a variable that is unset and has no default, naming it", () => {
    expect(() => resolvePlaceholders({ rootUrl: "${MISSING_APP_URL}" }, {})).toThrow(/MISSING_APP_URL is not set/);
  });
});

describe("the built-in provider's reading of the realm", () => {
  it("follows IDP_APP_URL with every app URL, back-channel logout included", () => {
    const { client } = loadConfig({ IDP_APP_URL: "http://localhost:3100" });
    expect(client).toMatchObject({
      redirectUris: ["http://localhost:3100/api/auth/callback/keycloak"],
      postLogoutRedirectUris: ["http://localhost:3100/*"],
      backchannelLogoutUrl: "http://localhost:3100/api/auth/backchannel-logout",
    });
  });

  it("reads NEXTJS_APP_URL like Keycloak does, and sends back-channel logout to localhost:3000 by default", () => {
    expect(loadConfig({ NEXTJS_APP_URL: "http://localhost:3200" }).client.redirectUris).toEqual(["http://localhost:3200/api/auth/callback/keycloak"]);
    expect(loadConfig({}).client.backchannelLogoutUrl).toBe("http://localhost:3000/api/auth/backchannel-logout");
  });

  it("refuses a realm file whose variable is unset and has no default, naming the variable", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "realm-"));
    try {
      const file = path.join(dir, "realm.json");
      writeFileSync(file, JSON.stringify({ ...raw, clients: [{ ...client, rootUrl: "${MY_APP_URL}" }] }));
      expect(() => loadRealm(file, { env: {} })).toThrow(/MY_APP_URL is not set/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
