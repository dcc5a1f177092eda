import Provider from "oidc-provider";
import { profileClaims, roleClaims } from "./accounts.mjs";
import { errorPage } from "./pages.mjs";

/** Keycloak's OIDC paths under the realm. */
export const ROUTES = Object.freeze({
  authorization: "/protocol/openid-connect/auth",
  token: "/protocol/openid-connect/token",
  jwks: "/protocol/openid-connect/certs",
  userinfo: "/protocol/openid-connect/userinfo",
  end_session: "/protocol/openid-connect/logout",
  revocation: "/protocol/openid-connect/revoke",
  introspection: "/protocol/openid-connect/token/introspect",
  pushed_authorization_request: "/protocol/openid-connect/ext/par/request",
});

/** Scopes Keycloak grants this client by default (its default client scopes), with no consent screen. */
const GRANTED_SCOPES = "openid email profile";

/** Builds the oidc-provider instance configured to issue Keycloak-shaped tokens. */
export function createProvider({ config, keys, store, accounts }) {
  const { client } = config;
  // JWT access tokens need a resource server; its audience is Keycloak's default "account".
  const resource = `${config.issuer}/account`;

  const provider = new Provider(config.issuer, {
    adapter: store.Adapter,
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.secret,
        redirect_uris: client.redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: "client_secret_basic",
        // oidc-provider puts `sid` in tokens only for clients with session-bound back-channel logout.
        // It never calls this URL itself: its end-session endpoint is shadowed by logout.mjs.
        backchannel_logout_uri: client.backchannelLogoutUrl ?? `${config.issuer}/backchannel-logout-unused`,
        backchannel_logout_session_required: true,
        // Keycloak's ID tokens always carry auth_time; apps check it for re-authentication (max_age).
        require_auth_time: true,
      },
    ],
    jwks: keys.jwks,
    cookies: { keys: [config.devSecret], names: { session: "KEYCLOAK_IDENTITY" } },
    claims: {
      // typ and azp are Keycloak's ID token markers; the logout endpoint checks them on id_token_hint.
      openid: ["sub", "typ", "azp"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name", "preferred_username"],
    },
    conformIdTokenClaims: false,
    findAccount: async (ctx, id) => {
      const user = accounts.byId(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: (use) => ({
          sub: id,
          ...(use === "id_token" ? { typ: "ID", azp: ctx?.oidc?.client?.clientId } : {}),
          ...profileClaims(user),
        }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: GRANTED_SCOPES,
          audience: "account",
          accessTokenTTL: config.accessTokenTtlS,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    formats: {
      customizers: {
        jwt: async (_ctx, token, jwt) => {
          const user = accounts.byId(token.accountId);
          const { exp, iat, jti, iss, sub, client_id: azp } = jwt.payload;
          jwt.header = { typ: "JWT" };
          jwt.payload = {
            exp, iat, jti, iss, sub, typ: "Bearer", azp, sid: token.sid, acr: "1",
            "allowed-origins": client.redirectUris.map((u) => new URL(u).origin).filter((o, i, a) => a.indexOf(o) === i),
            ...(user ? roleClaims(user, client.clientId) : {}),
            scope: GRANTED_SCOPES,
            ...(user ? profileClaims(user) : {}),
          };
          // Keycloak issues no audience to a user without `account` roles, but oidc-provider refuses a JWT access
          // token without `aud`: a non-enumerable one passes its check and is left out when the token is serialized.
          if (!jwt.payload.aud) Object.defineProperty(jwt.payload, "aud", { value: "account", enumerable: false, writable: true, configurable: true });
        },
      },
    },
    issueRefreshToken: async (_ctx, c) => c.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: config.revokeRefreshToken,
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (!grant || grant.accountId !== oidc.session.accountId) {
        grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      }
      grant.addOIDCScope(GRANTED_SCOPES);
      grant.addResourceScope(resource, GRANTED_SCOPES);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/realms/${config.realmName}/login-actions/${interaction.uid}` },
    pkce: { required: () => false },
    responseTypes: ["code"],
    routes: ROUTES,
    ttl: {
      AccessToken: config.accessTokenTtlS,
      IdToken: config.accessTokenTtlS,
      AuthorizationCode: 60,
      Interaction: 1800,
      // Session lifetimes are enforced by the store (idle and max); these only bound storage.
      RefreshToken: config.ssoMaxS,
      Session: config.ssoMaxS,
      Grant: config.ssoMaxS,
    },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage(out.error_description ?? out.error);
    },
  });
  return provider;
}
