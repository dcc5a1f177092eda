import { readFileSync } from "node:fs";
import path from "node:path";

// What Keycloak 26's import and the app need from keycloak/realm-nextjs.json (also the IdP's source of truth).
const realm = JSON.parse(readFileSync(path.resolve(__dirname, "../../keycloak/realm-nextjs.json"), "utf8"));
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

  it("registers the next-auth callback and the app's post-logout redirect URIs", () => {
    expect(client.redirectUris).toEqual(["http://localhost:3000/api/auth/callback/keycloak"]);
    expect(client.webOrigins).toEqual(["http://localhost:3000"]);
    expect(client.attributes["post.logout.redirect.uris"]).toBe("http://localhost:3000/*");
    expect(client.attributes["pkce.code.challenge.method"]).toBe("S256");
  });

  it("uses back-channel logout with the session id, and no front-channel logout", () => {
    expect(client.frontchannelLogout).toBe(false);
    expect(client.attributes["backchannel.logout.url"]).toBe("http://host.docker.internal:3000/api/auth/backchannel-logout");
    expect(client.attributes["backchannel.logout.session.required"]).toBe("true");
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
    expect(user("alice").clientRoles).toEqual({ "nextjs-app": ["viewer"] });
    expect(user("many-roles").realmRoles).toHaveLength(41);
  });
});
