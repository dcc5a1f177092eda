import { createAccountApi } from "./account.mjs";
import { createAccounts } from "./accounts.mjs";
import { createBackchannelSender } from "./backchannel.mjs";
import { createControl } from "./control.mjs";
import { createFaults, endpointOf } from "./faults.mjs";
import { sendJson, setSecurityHeaders } from "./http.mjs";
import { createInteractions } from "./interactions.mjs";
import { createKeys } from "./keys.mjs";
import { log } from "./log.mjs";
import { createLogout } from "./logout.mjs";
import { createProvider, ROUTES } from "./provider.mjs";
import { createRefreshTokenCodec } from "./refreshTokens.mjs";
import { createSessions } from "./sessions.mjs";
import { createStats } from "./stats.mjs";
import { createStore } from "./store.mjs";
import { tokenEndpointMiddleware } from "./tokenEndpoint.mjs";
import { createUserinfo } from "./userinfo.mjs";
import { clientAddress, parseUserAgent } from "./userAgent.mjs";
import { createVerifier } from "./verify.mjs";

/** Wires the IdP together; returns a Node request handler and a close function. */
export function createIdp(config) {
  const keys = createKeys(config);
  const store = createStore({ ssoIdleS: config.ssoIdleS, ssoMaxS: config.ssoMaxS });
  const accounts = createAccounts(config.users);
  const stats = createStats();
  const faults = createFaults();
  const codec = createRefreshTokenCodec({ issuer: config.issuer, key: keys.refreshKey, kid: keys.refreshKid });
  const verifier = createVerifier({ issuer: config.issuer, publicKey: keys.publicKey, clientId: config.client.clientId });
  const sendBackchannelLogout = createBackchannelSender({ config, keys, stats });
  const sessions = createSessions({ store, accounts, clientId: config.client.clientId, sendBackchannelLogout });
  const provider = createProvider({ config, keys, store, accounts });
  // oidc-provider still ends sessions itself when a different user signs in over a live session; route its
  // notification through our sender (Keycloak's token shape and timeout; its own fetch refuses loopback).
  provider.Client.prototype.backchannelLogout = (sub, sid) => sendBackchannelLogout({ sub, sid });
  // oidc-provider answers its own failures with a bare server_error: the log says what broke.
  provider.on("server_error", (_ctx, err) => log(`error: oidc-provider: ${err?.message ?? err}`));
  // Keycloak's account sessions show the browser, system and address each session signed in from.
  provider.on("authorization.success", (ctx) => {
    const uid = ctx.oidc.session?.uid;
    if (uid) store.recordDevice(uid, { ...parseUserAgent(ctx.get("user-agent")), ipAddress: clientAddress(ctx.req) });
  });
  provider.use(tokenEndpointMiddleware({
    paths: ROUTES, codec, store, sessions, stats, revokeRefreshToken: config.revokeRefreshToken,
  }));

  const mount = `/realms/${config.realmName}`;
  const callback = provider.callback();
  const logout = createLogout({ config, provider, verifier, codec, store, sessions, stats });
  const userinfo = createUserinfo({ verifier, store, accounts });
  const testUsers = config.showTestUsers ? config.users.filter((u) => u.password).map(({ username, password }) => ({ username, password })) : [];
  const interactions = createInteractions({ provider, accounts, realmName: config.realmName, testUsers });
  const control = createControl({ sessions, faults, stats });
  const accountApi = createAccountApi({ verifier, store, sessions, clientId: config.client.clientId, clientName: config.client.name });

  async function route(req, res) {
    const url = new URL(req.url, config.issuer);
    if (url.pathname.startsWith("/_idp/")) return control(req, res, url);

    const match = /^\/realms\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { error: "Not Found" });
    if (decodeURIComponent(match[1]) !== config.realmName) return sendJson(res, 404, { error: "Realm does not exist" });

    const realmPath = match[2] ?? "/";
    if (await faults.apply(endpointOf(realmPath), req, res)) return undefined;
    if (realmPath === ROUTES.end_session) return logout(req, res, url);
    if (realmPath === ROUTES.userinfo) return userinfo(req, res);
    if (accountApi.handles(realmPath)) return accountApi.handle(req, res, realmPath, url);
    if (realmPath.startsWith("/login-actions/")) return interactions(req, res, url.pathname);
    if (realmPath === "/") {
      return sendJson(res, 200, { realm: config.realmName, "token-service": `${config.issuer}/protocol/openid-connect` });
    }
    // oidc-provider derives its mount path from originalUrl vs url.
    req.originalUrl = req.url;
    req.url = req.url.slice(mount.length);
    return callback(req, res);
  }

  return {
    /** Node `http` request handler. */
    async handle(req, res) {
      setSecurityHeaders(res);
      try {
        await route(req, res);
      } catch (err) {
        log(`error: ${req.method} ${new URL(req.url, config.issuer).pathname}: ${err?.message ?? err}`);
        if (!res.headersSent) sendJson(res, err?.status ?? 500, { error: "server_error" });
        else res.destroy();
      }
    },
    /** Releases timers and hung requests. */
    close() {
      faults.clear();
      store.close();
    },
  };
}
