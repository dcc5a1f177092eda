import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import type { JWT } from "next-auth/jwt";
import { AppError, isAppError } from "../errors";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { describeUnknown, log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { ensureFreshTokens } from "./refreshCoordinator";
import { SessionEndedError } from "./sessionEnded";
import { shortId } from "./sessionPolicy";
import { storeKeys } from "./storeKeys";
import { isFresh, parseTokenState, saveTokenState, type TokenState } from "./tokenState";

/** What the lifecycle works with; passed in so tests can vary it. */
export interface LifecycleDeps {
  keycloak: KeycloakClient;
  store: KeyValueStore;
  /** How long a request waits for a refresh before answering with RefreshAccessTokenError, in ms. */
  refreshWaitMs: number;
  /** The upper bound of any app session, counted from sign-in, in seconds. */
  sessionMaxAgeS: number;
}

/** The token-endpoint answer next-auth hands the jwt callback at sign-in. */
export interface SignInAccount {
  provider: string;
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  expires_at?: number;
  refresh_expires_in?: number;
}

const nowS = () => Math.floor(Date.now() / 1000);

/** Resolves like `promise`, or rejects with REFRESH_UNAVAILABLE after `ms` (the promise goes on). */
function withinWait<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("REFRESH_UNAVAILABLE", "Refresh still running")), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Builds the cookie payload at sign-in and stores the access token and roles server-side.
 * The cookie keeps the id_token (logout hint) and the refresh token; the access token stays out of it.
 */
export async function startSession(
  token: JWT,
  account: SignInAccount,
  deps: LifecycleDeps,
): Promise<JWT> {
  const { keycloak, store } = deps;
  if (!account.id_token || !account.access_token || !account.refresh_token) {
    throw new Error("Keycloak returned no id_token, access_token or refresh_token at sign-in");
  }
  const now = nowS();
  const sessionId = randomUUID();
  const { sid, authTime } = readIdTokenClaims(account.id_token);
  const state: TokenState = {
    accessToken: account.access_token,
    expiresAt: account.expires_at ?? now + 60,
    lifetimeS: account.expires_at ? account.expires_at - now : undefined,
    refreshToken: account.refresh_token,
    refreshExpiresAt: account.refresh_expires_in ? now + Number(account.refresh_expires_in) : undefined,
    roles: keycloak.rolesOf(account.access_token),
  };
  try {
    await saveTokenState(store, sessionId, state, deps.sessionMaxAgeS * 1000);
    if (sid) await store.set(storeKeys.sidSignedIn(sid), String(Date.now()), deps.sessionMaxAgeS * 1000);
  } catch (error) {
    if (!isAppError(error, "STORE_UNAVAILABLE")) throw error;
    // The sign-in still succeeds: the cookie holds the refresh token, and the access token is re-obtained
    // once the store answers again (until then the session fails closed).
    log.error("SESSION_STORE_WRITE_FAILED", { session: shortId(sessionId), behaviour: "tokens re-obtained later" });
  }
  log.info("SESSION_STARTED", { session: shortId(sessionId) });
  return {
    sub: token.sub,
    name: token.name,
    email: token.email,
    picture: token.picture,
    provider: "keycloak",
    id_token: account.id_token,
    refresh_token: state.refreshToken,
    expires_at: state.expiresAt,
    refresh_expires_at: state.refreshExpiresAt,
    sessionId,
    sid,
    signedInAt: now,
    authTime: authTime ?? now,
    roles: state.roles,
  };
}

/**
 * Runs on every session read: ends the session if it was revoked or Keycloak's refresh window closed,
 * refreshes the access token once it expires (one refresh per session across instances), and attaches
 * the roles. Throws SessionEndedError when the session is over; marks `error` when it cannot be
 * confirmed right now (store or Keycloak unreachable) without losing the cookie.
 */
export async function continueSession(token: JWT, deps: LifecycleDeps): Promise<JWT> {
  const { keycloak, store } = deps;
  const { sessionId, sid, sub } = token;
  const next: JWT = { ...token, error: undefined, roles: undefined };
  if (!sessionId || !token.refresh_token) throw new SessionEndedError("EXPIRED");

  let state: TokenState | null;
  try {
    // One round trip: the server-side tokens and the revocation marks that can end this session.
    const [rawState, revokedSession, revokedSid, revokedSubAt] = await store.getMany([
      storeKeys.tokens(sessionId),
      storeKeys.revokedSession(sessionId),
      storeKeys.revokedSid(sid ?? "none"),
      storeKeys.revokedSub(sub ?? "none"),
    ]);
    if (revokedSession) throw new SessionEndedError("REVOKED");
    if (sid && revokedSid) throw new SessionEndedError("BACKCHANNEL_LOGOUT");
    if (sub && revokedSubAt && Number(revokedSubAt) >= (token.signedInAt ?? 0) * 1000) {
      throw new SessionEndedError("BACKCHANNEL_LOGOUT");
    }
    state = parseTokenState(rawState);
  } catch (error) {
    if (isAppError(error, "STORE_UNAVAILABLE")) {
      log.error("SESSION_CHECK_UNAVAILABLE", { session: shortId(sessionId), behaviour: "fail-closed" });
      return { ...next, error: "SessionUnavailable" };
    }
    throw error;
  }

  // The refresh token expires with Keycloak's SSO session (idle or max): so does the app session. session.maxAge
  // is enforced here from the sign-in time, whatever expiry a cookie (or next-auth's own rolling one) carries.
  const now = nowS();
  if (token.refresh_expires_at && now >= token.refresh_expires_at) throw new SessionEndedError("EXPIRED");
  if (token.signedInAt && now >= token.signedInAt + deps.sessionMaxAgeS) throw new SessionEndedError("EXPIRED");

  if (!state || !isFresh(state)) {
    try {
      const refreshing = ensureFreshTokens({
        store,
        sessionId,
        cookieRefreshToken: token.refresh_token,
        cookieExpiresAt: token.expires_at,
        refresh: (refreshToken) => keycloak.refresh(refreshToken),
        rolesOf: (accessToken) => keycloak.rolesOf(accessToken),
        // The holder may also spend store round trips around the grant: a margin keeps the lock until it is done.
        lockTtlMs: keycloak.refreshTimeoutMs + 5000,
        fallbackTtlMs: deps.sessionMaxAgeS * 1000,
      });
      state = await withinWait(refreshing, deps.refreshWaitMs);
      log.info("SESSION_TOKENS_FRESH", { session: shortId(sessionId) });
    } catch (error) {
      if (isAppError(error, "REFRESH_REFUSED")) {
        await store
          .set(storeKeys.revokedSession(sessionId), "refresh-refused", deps.sessionMaxAgeS * 1000)
          .catch(() => undefined);
        throw new SessionEndedError("REFRESH_REFUSED");
      }
      if (!isAppError(error)) {
        // A bug, not an outage: reported as unknown with its stack, and the session is kept for the next request.
        log.error("SESSION_REFRESH_UNEXPECTED_ERROR", describeUnknown(error));
        return { ...next, error: "RefreshAccessTokenError" };
      }
      const storeDown = isAppError(error, "STORE_UNAVAILABLE");
      log.warn("SESSION_REFRESH_FAILED", { session: shortId(sessionId), code: error.code, reason: error.message });
      return { ...next, error: storeDown ? "SessionUnavailable" : "RefreshAccessTokenError" };
    }
  }

  return {
    ...next,
    refresh_token: state.refreshToken,
    expires_at: state.expiresAt,
    refresh_expires_at: state.refreshExpiresAt ?? token.refresh_expires_at,
    roles: state.roles,
  };
}

/** The server-side access token of a session, if fresh (call after continueSession ran for this request). */
export async function storedAccessToken(store: KeyValueStore, sessionId: string): Promise<string | null> {
  const state = parseTokenState(await store.get(storeKeys.tokens(sessionId)));
  return state && isFresh(state) ? state.accessToken : null;
}

/** The ID token's `sid` (back-channel logout) and `auth_time` (when the user last entered credentials). */
function readIdTokenClaims(idToken: string): { sid?: string; authTime?: number } {
  try {
    const { sid, auth_time: authTime } = decodeJwt(idToken);
    return { sid: typeof sid === "string" ? sid : undefined, authTime: typeof authTime === "number" ? authTime : undefined };
  } catch {
    return {};
  }
}

