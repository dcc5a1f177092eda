import { readFileSync } from "node:fs";

/** Reads a Keycloak realm export and keeps what the IdP emulates: realm, lifetimes, one client, users. */
export function loadRealm(file, clientId = "nextjs-app") {
  let realm;
  try {
    realm = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new Error(`IDP_REALM_FILE: cannot read realm file ${file}: ${cause.message}`);
  }
  const client = (realm.clients ?? []).find((c) => c.clientId === clientId);
  if (!realm.realm || !client) {
    throw new Error(`IDP_REALM_FILE: ${file} needs "realm" and a client "${clientId}"`);
  }
  const attributes = client.attributes ?? {};
  return {
    name: realm.realm,
    accessTokenLifespanS: realm.accessTokenLifespan ?? 300,
    ssoSessionIdleS: realm.ssoSessionIdleTimeout ?? 1800,
    ssoSessionMaxS: realm.ssoSessionMaxLifespan ?? 36000,
    revokeRefreshToken: realm.revokeRefreshToken === true,
    client: {
      clientId: client.clientId,
      secret: client.secret,
      redirectUris: client.redirectUris ?? [],
      // Keycloak stores several post-logout redirect URIs in one attribute, separated by "##".
      postLogoutRedirectUris: (attributes["post.logout.redirect.uris"] ?? "").split("##").filter(Boolean),
      backchannelLogoutUrl: attributes["backchannel.logout.url"] || undefined,
      backchannelLogoutSessionRequired: attributes["backchannel.logout.session.required"] !== "false",
    },
    users: (realm.users ?? []).filter((u) => u.enabled !== false).map((u) => toUser(u, client.clientId)),
  };
}

function toUser(user, clientId) {
  const password = (user.credentials ?? []).find((c) => c.type === "password")?.value;
  return {
    id: user.id ?? user.username,
    username: user.username,
    password,
    firstName: user.firstName ?? "",
    lastName: user.lastName ?? "",
    email: user.email,
    emailVerified: user.emailVerified === true,
    realmRoles: user.realmRoles ?? [],
    clientRoles: user.clientRoles?.[clientId] ?? [],
  };
}
