/** Looks users up by id or username and builds their claims the way Keycloak's default mappers do. */
export function createAccounts(users) {
  const byId = new Map(users.map((u) => [u.id, u]));
  const byUsername = new Map(users.map((u) => [u.username.toLowerCase(), u]));

  return {
    /** The user with this username and password, or undefined. */
    authenticate(username, password) {
      const user = byUsername.get(String(username ?? "").trim().toLowerCase());
      return user && typeof password === "string" && user.password === password ? user : undefined;
    },
    /** The user with this id (the token `sub`), or undefined. */
    byId: (id) => byId.get(id),
    /** The user with this username, or undefined. */
    byUsername: (username) => byUsername.get(String(username).toLowerCase()),
  };
}

/** Profile and email claims as Keycloak's `profile` and `email` client scopes put them in tokens. */
export function profileClaims(user) {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return {
    email_verified: user.emailVerified,
    ...(name ? { name } : {}),
    preferred_username: user.username,
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
    ...(user.email ? { email: user.email } : {}),
  };
}

/**
 * Role claims of a Keycloak access token: realm roles, and per client only the clients the user has roles of (this
 * app's, and `account`'s for the Account REST API). Keycloak's audience mapper adds `aud: "account"` exactly when the
 * user holds `account` roles: without them the token has no audience.
 */
export function roleClaims(user, clientId) {
  const resourceAccess = {
    ...(user.clientRoles.length ? { [clientId]: { roles: [...user.clientRoles] } } : {}),
    ...(user.accountRoles?.length ? { account: { roles: [...user.accountRoles] } } : {}),
  };
  return {
    ...(user.accountRoles?.length ? { aud: "account" } : {}),
    realm_access: { roles: [...user.realmRoles] },
    ...(Object.keys(resourceAccess).length ? { resource_access: resourceAccess } : {}),
  };
}
