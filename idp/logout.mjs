import { timingSafeEqual } from "node:crypto";
import { basicCredentials, readForm, sendHtml, sendJson } from "./http.mjs";
import { log } from "./log.mjs";
import { errorPage, logoutConfirmPage, messagePage } from "./pages.mjs";

/** True when `uri` is registered, exactly or under a registered `.../*` wildcard (Keycloak's matching). */
export function isRegisteredRedirect(uri, registered) {
  return registered.some((pattern) =>
    pattern.endsWith("/*") ? uri.startsWith(pattern.slice(0, -1)) || uri === pattern.slice(0, -2) : uri === pattern,
  );
}

function safeEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function withState(uri, state) {
  if (state === undefined) return uri;
  const url = new URL(uri);
  url.searchParams.set("state", state);
  return url.href;
}

/**
 * Keycloak 26's end-session endpoint: a valid id_token_hint ends its session without a browser cookie;
 * no hint asks for confirmation; a POST with client credentials and a refresh token ends that session (204).
 */
export function createLogout({ config, provider, verifier, codec, store, sessions, stats }) {
  const { client } = config;

  function redirectOrPage(res, postLogoutRedirectUri, state) {
    if (postLogoutRedirectUri) {
      res.writeHead(302, { location: withState(postLogoutRedirectUri, state), "cache-control": "no-store" });
      res.end();
    } else {
      sendHtml(res, 200, messagePage("You are logged out", "You are logged out"));
    }
  }

  function reject(res, status, message) {
    stats.get().logouts.rejected += 1;
    log(`logout rejected: ${message}`);
    sendHtml(res, status, errorPage(message));
  }

  async function hinted(res, params) {
    const claims = await verifier.idTokenHint(params.id_token_hint);
    if (!claims || (params.client_id !== undefined && params.client_id !== claims.azp)) {
      return reject(res, 400, "Invalid parameter: id_token_hint");
    }
    const target = params.post_logout_redirect_uri;
    if (target !== undefined && !isRegisteredRedirect(target, client.postLogoutRedirectUris)) {
      return reject(res, 400, "Invalid redirect uri");
    }
    const uid = claims.sid && store.sessionUidForSid(claims.sid);
    // Already ended is still a success: Keycloak's hinted logout is idempotent.
    if (uid) await sessions.endSession(uid, { reason: "id_token_hint" });
    else log("logout with id_token_hint: session already ended");
    stats.get().logouts.hinted += 1;
    redirectOrPage(res, target, params.state);
  }

  async function withRefreshToken(req, res, params) {
    const basic = basicCredentials(req);
    const clientId = basic?.clientId ?? params.client_id;
    const secret = basic?.clientSecret ?? params.client_secret;
    if (clientId !== client.clientId || !secret || !safeEqual(secret, client.secret)) {
      stats.get().logouts.rejected += 1;
      log("logout rejected: bad client credentials");
      return sendJson(res, 401, { error: "unauthorized_client", error_description: "Invalid client or Invalid client credentials" });
    }
    const unwrapped = await codec.unwrap(params.refresh_token, { allowExpired: true });
    if (!unwrapped.opaque || unwrapped.claims.azp !== clientId) {
      stats.get().logouts.rejected += 1;
      log("logout rejected: invalid refresh token");
      return sendJson(res, 400, { error: "invalid_grant", error_description: "Invalid refresh token" });
    }
    const uid = store.sessionUidForSid(unwrapped.claims.sid);
    if (uid) await sessions.endSession(uid, { reason: "refresh_token" });
    stats.get().logouts.refreshToken += 1;
    res.writeHead(204, { "cache-control": "no-store" });
    res.end();
  }

  async function confirmed(req, res, params) {
    const session = await provider.Session.get({ req, res });
    if (session.uid && session.accountId) await sessions.endSession(session.uid, { reason: "confirmed in browser" });
    redirectOrPage(res, params.post_logout_redirect_uri, params.state);
  }

  /** Handles GET and POST on {issuer}/protocol/openid-connect/logout. */
  return async function handleLogout(req, res, url) {
    const query = Object.fromEntries(url.searchParams);
    const params = req.method === "POST" ? { ...query, ...(await readForm(req)) } : query;
    if (req.method === "POST" && params.refresh_token !== undefined) return withRefreshToken(req, res, params);
    if (params.id_token_hint !== undefined) return hinted(res, params);

    const target = params.post_logout_redirect_uri;
    if (target !== undefined && (params.client_id !== client.clientId || !isRegisteredRedirect(target, client.postLogoutRedirectUris))) {
      return reject(res, 400, params.client_id === undefined ? "Missing parameters: id_token_hint" : "Invalid redirect uri");
    }
    if (req.method === "POST" && params.confirmLogout === "true") return confirmed(req, res, params);
    sendHtml(res, 200, logoutConfirmPage({
      action: url.pathname,
      fields: { client_id: params.client_id, post_logout_redirect_uri: target, state: params.state },
    }));
  };
}
