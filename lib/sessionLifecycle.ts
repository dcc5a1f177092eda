import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import type { JWT } from "next-auth/jwt";
import { log } from "./log";
import { rolesFromAccessToken } from "./roles";
import { sessionKeys } from "./sessionKeys";
import { SessionEndedError } from "./sessionEnded";
import { isStoreUnavailable, type SessionStore } from "./sessionStore";
import { ensureFreshTokens, isFresh, parseTokenState, saveTokenState, type TokenState } from "./sessionTokens";
import { RefreshError, refreshTokens } from "./tokenRefresh";

/** What the lifecycle needs from the configuration; passed in so tests can vary it. */
export interface LifecycleConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** How long a request waits for a refresh before answering with RefreshAccessTokenError, in ms. */
  refreshWaitMs: number;
  /** next-auth's session.maxAge in seconds: the upper bound of any app session. */
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

/**
 * The refresh request itself may take this long, longer than a request waits for it: with single-use
 * refresh tokens, abandoning a refresh that Keycloak completes would leave only a spent token behind.
 */
export const REFRESH_REQUEST_TIMEOUT_MS = 30_000;

/** Resolves like `promise`, or rejects with a transient RefreshError after `ms` (the promise goes on). */
function withinWait<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RefreshError("UNAVAILABLE", "Refresh still running")), ms);
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
  store: SessionStore,
  config: LifecycleConfig,
): Promise<JWT> {
  if (!account.id_token || !account.access_token || !account.refresh_token) {
    throw new Error("Keycloak returned no id_token, access_token or refresh_token at sign-in");
  }
  const now = nowS();
  const sessionId = randomUUID();
  const sid = readSid(account.id_token);
  const state: TokenState = {
    accessToken: account.access_token,
    expiresAt: account.expires_at ?? now + 60,
    refreshToken: account.refresh_token,
    refreshExpiresAt: account.refresh_expires_in ? now + Number(account.refresh_expires_in) : undefined,
    roles: rolesFromAccessToken(account.access_token, config.clientId),
  };
  try {
    await saveTokenState(store, sessionId, state, config.sessionMaxAgeS * 1000);
    if (sid) await store.set(sessionKeys.sidSignedIn(sid), String(Date.now()), config.sessionMaxAgeS * 1000);
  } catch (error) {
    if (!isStoreUnavailable(error)) throw error;
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
    roles: state.roles,
  };
}

/**
 * Runs on every session read: ends the session if it was revoked or Keycloak's refresh window closed,
 * refreshes the access token once it expires (one refresh per session across instances), and attaches
 * the roles. Throws SessionEndedError when the session is over; marks `error` when it cannot be
 * confirmed right now (store or Keycloak unreachable) without losing the cookie.
 */
export async function continueSession(token: JWT, store: SessionStore, config: LifecycleConfig): Promise<JWT> {
  const { sessionId, sid, sub } = token;
  const next: JWT = { ...token, error: undefined, roles: undefined };
  if (!sessionId || !token.refresh_token) throw new SessionEndedError("EXPIRED");

  let state: TokenState | null;
  try {
    // One round trip: the server-side tokens and the revocation marks that can end this session.
    const [rawState, revokedSession, revokedSid, revokedSubAt] = await store.getMany([
      sessionKeys.tokens(sessionId),
      sessionKeys.revokedSession(sessionId),
      sessionKeys.revokedSid(sid ?? "none"),
      sessionKeys.revokedSub(sub ?? "none"),
    ]);
    if (revokedSession) throw new SessionEndedError("REVOKED");
    if (sid && revokedSid) throw new SessionEndedError("BACKCHANNEL_LOGOUT");
    if (sub && revokedSubAt && Number(revokedSubAt) >= (token.signedInAt ?? 0) * 1000) {
      throw new SessionEndedError("BACKCHANNEL_LOGOUT");
    }
    state = parseTokenState(rawState);
  } catch (error) {
    if (isStoreUnavailable(error)) {
      log.error("SESSION_CHECK_UNAVAILABLE", { session: shortId(sessionId), behaviour: "fail-closed" });
      return { ...next, error: "SessionUnavailable" };
    }
    throw error;
  }

  // The refresh token expires with Keycloak's SSO session (idle or max): so does the app session. next-auth
  // renews the cookie's own expiry on every read, so session.maxAge is enforced here from the sign-in time.
  const now = nowS();
  if (token.refresh_expires_at && now >= token.refresh_expires_at) throw new SessionEndedError("EXPIRED");
  if (token.signedInAt && now >= token.signedInAt + config.sessionMaxAgeS) throw new SessionEndedError("EXPIRED");

  if (!state || !isFresh(state)) {
    try {
      const refreshing = ensureFreshTokens({
        store,
        sessionId,
        cookieRefreshToken: token.refresh_token,
        cookieExpiresAt: token.expires_at,
        refresh: (refreshToken) =>
          refreshTokens({
            issuer: config.issuer,
            clientId: config.clientId,
            clientSecret: config.clientSecret,
            refreshToken,
            timeoutMs: REFRESH_REQUEST_TIMEOUT_MS,
          }),
        rolesOf: (accessToken) => rolesFromAccessToken(accessToken, config.clientId),
        // The holder may also spend store round trips around the grant: a margin keeps the lock until it is done.
        lockTtlMs: REFRESH_REQUEST_TIMEOUT_MS + 5000,
        fallbackTtlMs: config.sessionMaxAgeS * 1000,
      });
      state = await withinWait(refreshing, config.refreshWaitMs);
      log.info("SESSION_TOKENS_FRESH", { session: shortId(sessionId) });
    } catch (error) {
      if (error instanceof RefreshError && error.code === "INVALID_GRANT") {
        await store
          .set(sessionKeys.revokedSession(sessionId), "refresh-refused", config.sessionMaxAgeS * 1000)
          .catch(() => undefined);
        throw new SessionEndedError("REFRESH_REFUSED");
      }
      const reason = isStoreUnavailable(error) ? "store unavailable" : (error as Error).message;
      log.warn("SESSION_REFRESH_FAILED", { session: shortId(sessionId), reason });
      return { ...next, error: isStoreUnavailable(error) ? "SessionUnavailable" : "RefreshAccessTokenError" };
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
export async function storedAccessToken(store: SessionStore, sessionId: string): Promise<string | null> {
  const state = parseTokenState(await store.get(sessionKeys.tokens(sessionId)));
  return state && isFresh(state) ? state.accessToken : null;
}

function readSid(idToken: string): string | undefined {
  try {
    const { sid } = decodeJwt(idToken);
    return typeof sid === "string" ? sid : undefined;
  } catch {
    return undefined;
  }
}

/** First 8 characters of an id: enough to follow one session through the logs. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
