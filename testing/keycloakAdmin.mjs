// @ts-check
// Keycloak's admin REST API, for tests that check or change Keycloak's side: users, their sessions,
// realm settings and events. The token comes from the master realm's admin-cli client (bootstrap admin).

/**
 * @typedef {{ id: string, username: string }} KeycloakUser
 * @typedef {{ id: string, username: string, userId: string, start: number, lastAccess: number, clients: Record<string, string> }} KeycloakSession
 * @typedef {{ time: number, type: string, clientId?: string, userId?: string, sessionId?: string, error?: string }} KeycloakEvent
 */

/**
 * A client for one realm of the Keycloak at `origin` (e.g. http://localhost:8380).
 * @param {{ origin: string, realm: string, username: string, password: string }} options
 */
export function keycloakAdmin({ origin, realm, username, password }) {
  /** @type {{ value: string, expiresAt: number } | undefined} */
  let token;

  const accessToken = async () => {
    // Admin tokens live 60 s by default; take a new one well before.
    if (token && Date.now() < token.expiresAt) return token.value;
    const response = await fetch(`${origin}/realms/master/protocol/openid-connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username, password }),
    });
    if (!response.ok) {
      throw new Error(`Keycloak admin sign-in failed (${response.status}): check the bootstrap admin's username and password`);
    }
    const body = /** @type {{ access_token: string, expires_in: number }} */ (await response.json());
    token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in - 15) * 1000 };
    return token.value;
  };

  /**
   * One admin call under /admin/realms/{realm}; JSON in and out, any non-2xx is an error naming the call.
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   */
  const call = async (method, path, body) => {
    const send = async () =>
      fetch(`${origin}/admin/realms/${realm}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await accessToken()}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let response = await send();
    if (response.status === 401) {
      // A restarted Keycloak no longer knows the admin session the cached token belongs to: sign in again, once.
      token = undefined;
      response = await send();
    }
    if (!response.ok) throw new Error(`Keycloak admin ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  };

  /** @param {string} name */
  const userByName = async (name) => {
    /** @type {KeycloakUser[]} */
    const users = await call("GET", `/users?exact=true&username=${encodeURIComponent(name)}`);
    if (!users.length) throw new Error(`no user "${name}" in realm ${realm}`);
    return users[0];
  };

  return {
    userByName,
    /** @param {string} name @returns {Promise<KeycloakSession[]>} */
    async sessionsOf(name) {
      return call("GET", `/users/${(await userByName(name)).id}/sessions`);
    },
    /** Admin "Sign out" of a user: ends all their sessions and sends back-channel logout. @param {string} name */
    async logoutUser(name) {
      await call("POST", `/users/${(await userByName(name)).id}/logout`);
    },
    /** Ends one user session (admin console: Sessions → Sign out). @param {string} sessionId */
    async deleteSession(sessionId) {
      await call("DELETE", `/sessions/${encodeURIComponent(sessionId)}`);
    },
    /** The realm representation (token lifespans, revokeRefreshToken, ...). */
    async realmSettings() {
      return /** @type {Record<string, unknown>} */ (await call("GET", ""));
    },
    /** Changes the given realm settings; the others keep their values. @param {Record<string, unknown>} settings */
    async updateRealm(settings) {
      await call("PUT", "", settings);
    },
    /** The realm's event settings. */
    async eventsConfig() {
      return /** @type {{ eventsEnabled: boolean, enabledEventTypes: string[], eventsExpiration?: number }} */ (
        await call("GET", "/events/config")
      );
    },
    /** Stores user events of `types` (empty: every type) while on. @param {{ eventsEnabled: boolean, enabledEventTypes?: string[] }} config */
    async setEventsConfig(config) {
      const current = await call("GET", "/events/config");
      await call("PUT", "/events/config", { ...current, ...config });
    },
    /**
     * Stored user events, newest first.
     * @param {{ type?: string | string[], user?: string, client?: string, max?: number }} [filter] user by username
     * @returns {Promise<KeycloakEvent[]>}
     */
    async events({ type, user, client, max = 1000 } = {}) {
      const params = new URLSearchParams({ max: String(max) });
      for (const t of type === undefined ? [] : [type].flat()) params.append("type", t);
      if (user) params.set("user", (await userByName(user)).id);
      if (client) params.set("client", client);
      return call("GET", `/events?${params}`);
    },
    /** Deletes every stored user event of the realm. */
    async clearEvents() {
      await call("DELETE", "/events");
    },
    /** A client's representation, by clientId. @param {string} clientId */
    async clientByClientId(clientId) {
      /** @type {Array<Record<string, unknown> & { id: string, attributes?: Record<string, string> }>} */
      const clients = await call("GET", `/clients?clientId=${encodeURIComponent(clientId)}`);
      if (!clients.length) throw new Error(`no client "${clientId}" in realm ${realm}`);
      return clients[0];
    },
    /** Replaces a client's representation (as read by clientByClientId, then changed). @param {Record<string, unknown> & { id: string }} client */
    async updateClient(client) {
      await call("PUT", `/clients/${client.id}`, client);
    },
  };
}
