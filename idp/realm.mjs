import { readFileSync } from "node:fs";

/** `${NAME}` or `${NAME:default}`, as Keycloak's realm import resolves them from its environment. */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g;

/**
 * Resolves the placeholders in every string of a parsed realm file from `env`, as Keycloak 26 does at import.
 * An unset variable without a default is an error naming it (Keycloak would keep the text `${NAME}` silently).
 * @param {any} value
 * @param {Record<string, string | undefined>} env
 * @param {string} [file]
 * @returns {any}
 */
export function resolvePlaceholders(value, env, file = "the realm file") {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (_, name, fallback) => {
      if (env[name] !== undefined && env[name] !== "") return env[name];
      if (fallback !== undefined) return fallback;
      throw new Error(`${name} is not set and ${file} has no default for it ("\${${name}}"): set ${name} or give it a default ("\${${name}:value}")`);
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolvePlaceholders(item, env, file));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolvePlaceholders(item, env, file)]));
  }
  return value;
}

/**
 * Reads a Keycloak realm export, resolves its placeholders from `env`, and keeps what the IdP emulates: realm,
 * lifetimes, one client, users.
 * @param {string} file
 * @param {{ clientId?: string, env?: Record<string, string | undefined> }} [options]
 */
export function loadRealm(file, { clientId = "nextjs-app", env = process.env } = {}) {
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new Error(`IDP_REALM_FILE: cannot read realm file ${file}: ${cause.message}`);
  }
  const realm = resolvePlaceholders(parsed, env, file);
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
      name: client.name ?? client.clientId,
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
    accountRoles: withComposites(user.clientRoles?.account ?? []),
  };
}

/** Keycloak's `manage-account` of the `account` client is a composite that includes `manage-account-links`. */
function withComposites(roles) {
  const all = new Set(roles);
  if (all.has("manage-account")) all.add("manage-account-links");
  return [...all].sort();
}
