import { readForm, replaceRequestBody } from "./http.mjs";
import { log } from "./log.mjs";

/**
 * Koa middleware around oidc-provider's token and revocation endpoints: unwraps incoming Keycloak-style
 * refresh tokens to the opaque value oidc-provider knows, wraps outgoing ones, and adds Keycloak's
 * `refresh_expires_in` and `session_state` to token responses.
 */
export function tokenEndpointMiddleware({ paths, codec, store, sessions, stats, revokeRefreshToken }) {
  return async function tokenEndpoint(ctx, next) {
    const isToken = ctx.path === paths.token;
    const isRevoke = ctx.path === paths.revocation || ctx.path === paths.introspection;
    if (ctx.method !== "POST" || !(isToken || isRevoke) || !ctx.is("application/x-www-form-urlencoded")) {
      return next();
    }

    const form = await readForm(ctx.req);
    const field = isToken ? "refresh_token" : "token";
    const isRefreshGrant = isToken && form.grant_type === "refresh_token";
    let unwrapped;
    if (form[field] && (isRefreshGrant || isRevoke)) {
      unwrapped = await codec.unwrap(form[field]);
      // A bad one still reaches oidc-provider (client authentication comes first) but can match nothing.
      if (unwrapped.opaque) form[field] = unwrapped.opaque;
      else if (isRefreshGrant) form[field] = "invalid";
    }
    replaceRequestBody(ctx, new URLSearchParams(form).toString());

    if (isRefreshGrant && revokeRefreshToken && unwrapped?.opaque) {
      const stored = store.find("RefreshToken", unwrapped.opaque);
      if (stored?.consumed) {
        // Keycloak: reusing a rotated refresh token ends the whole session.
        log("refresh token reused: ending its session");
        await sessions.endSession(stored.sessionUid, { reason: "refresh token reuse", backchannel: false });
      }
    }

    await next();
    if (!isToken) return;

    const body = ctx.body;
    if (ctx.status === 200 && body?.access_token) {
      stats.get()[isRefreshGrant ? "refreshGrants" : "codeGrants"] += 1;
      const stored = body.refresh_token && store.find("RefreshToken", body.refresh_token);
      if (!stored) return;
      if (isRefreshGrant) store.touch(stored.sessionUid);
      const refreshExpiresIn = store.remainingS(stored.sessionUid);
      const refreshToken = await codec.wrap({
        opaque: body.refresh_token,
        sub: stored.accountId,
        azp: stored.clientId,
        sid: stored.sid,
        scope: body.scope ?? stored.scope,
        expiresInS: refreshExpiresIn,
      });
      ctx.body = {
        access_token: body.access_token,
        expires_in: body.expires_in,
        refresh_expires_in: refreshExpiresIn,
        refresh_token: refreshToken,
        token_type: body.token_type,
        id_token: body.id_token,
        "not-before-policy": 0,
        session_state: stored.sid,
        scope: body.scope,
      };
    } else if (isRefreshGrant && body?.error === "invalid_grant") {
      ctx.body = { error: "invalid_grant", error_description: describeRefreshFailure(unwrapped, store) };
      log(`refresh rejected: ${ctx.body.error_description}`);
    }
  };
}

function describeRefreshFailure(unwrapped, store) {
  if (!unwrapped?.opaque) return unwrapped?.error ?? "Invalid refresh token";
  const stored = store.find("RefreshToken", unwrapped.opaque);
  if (stored?.consumed) return "Maximum allowed refresh token reuse exceeded";
  // A well-signed token whose session (and so its grant) is gone: Keycloak's wording.
  if (!stored || !store.liveSession(stored.sessionUid)) return "Session not active";
  return "Invalid refresh token";
}
