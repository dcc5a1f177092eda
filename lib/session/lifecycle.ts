import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import type { JWT } from "next-auth/jwt";
import { nowS, type Clock } from "../clock";
import { deepFreeze } from "../deepFreeze";
import { AppError, isAppError } from "../errors";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { describeUnknown, log, shortId } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { createRefreshCoordinator } from "./refreshCoordinator";
import type { Revocation } from "./revocation";
import { SessionEndedError } from "./sessionEnded";
import { absoluteEndMs } from "./sessionPolicy";
import { storeKeys } from "./storeKeys";
import { isFresh, parseTokenState, saveTokenState, type TokenState } from "./tokenState";

/** What the lifecycle works with, built once by the composition root (lib/auth.ts). */
export interface LifecycleDeps {
  keycloak: KeycloakClient;
  store: KeyValueStore;
  revocation: Revocation;
  clock: Clock;
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

/** The session's two steps: at sign-in, and on every read after. */
export interface SessionLifecycle {
  /**
   * Builds the cookie payload at sign-in and stores the access token and roles server-side. The cookie keeps the
   * id_token (logout hint), the refresh token and the store generation; the access token stays out of it. Throws
   * STORE_UNAVAILABLE when the store cannot name its generation: a session it cannot check later is not started.
   */
  start(token: JWT, account: SignInAccount): Promise<JWT>;
  /**
   * Runs on every session read: ends the session if it was revoked, issued before the store lost its data, or
   * Keycloak's refresh window closed; refreshes the access token once it is due (one refresh per session across
   * instances); attaches the roles and the access token for this request only. Throws SessionEndedError when the
   * session is over; marks `error` when it cannot be confirmed right now (store or Keycloak unreachable).
   */
  continue(token: JWT): Promise<JWT>;
}

/** Resolves like `promise`, or rejects with REFRESH_UNAVAILABLE after `ms` (the promise goes on). */
function withinWait<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("REFRESH_UNAVAILABLE", "Refresh still running")), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Builds the lifecycle; its refresh coordinator (one refresh per session in this process) lives with it. */
export function createSessionLifecycle(deps: LifecycleDeps): SessionLifecycle {
  const { keycloak, store, revocation, clock } = deps;
  const ensureFreshTokens = createRefreshCoordinator();
  /**
   * The last answer per cookie token. The read path hands a cookie it has decoded before back as the same frozen
   * object; while the store answers with the same token state (and it is still fresh), the answer is the one built
   * last time, frozen: no parse, no copy. Revocation, generation and expiry are still checked on every call.
   */
  const answers = new WeakMap<Readonly<JWT>, { rawTokens: string; state: TokenState; answer: JWT }>();

  async function start(token: JWT, account: SignInAccount): Promise<JWT> {
    if (!account.id_token || !account.access_token || !account.refresh_token) {
      throw new Error("Keycloak returned no id_token, access_token or refresh_token at sign-in");
    }
    const now = nowS(clock);
    const sessionId = randomUUID();
    const { sid, authTime } = readIdTokenClaims(account.id_token);
    const generation = await revocation.generation();
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
      if (sid) await store.set(storeKeys.sidSignedIn(sid), String(clock.nowMs()), deps.sessionMaxAgeS * 1000);
    } catch (error) {
      if (!isAppError(error, "STORE_UNAVAILABLE")) throw error;
      // The cookie holds the refresh token: the access token is re-obtained once the store answers again.
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
      generation,
      signedInAtMs: clock.nowMs(),
      authTime: authTime ?? now,
      roles: state.roles,
      accessToken: state.accessToken,
    };
  }

  async function continueSession(token: JWT): Promise<JWT> {
    const { sessionId, sid, sub } = token;
    // The token as the outcomes below hand it on: request-only fields cleared (built only when needed; a read usually
    // ends in the one copy at the end).
    const next = (): JWT => ({ ...token, error: undefined, roles: undefined, accessToken: undefined });
    if (!sessionId || !token.refresh_token) throw new SessionEndedError("expired");

    let rawTokens: string | null;
    try {
      // One round trip: the server-side tokens, the revocation marks that can end this session and the generation.
      const check = await revocation.check({ sessionId, sid, sub, signedInAtMs: token.signedInAtMs, generation: token.generation });
      if (check.ended) throw new SessionEndedError(check.ended);
      rawTokens = check.rawTokens;
    } catch (error) {
      if (isAppError(error, "STORE_UNAVAILABLE")) {
        log.error("SESSION_CHECK_UNAVAILABLE", { session: shortId(sessionId), behaviour: "fail-closed" });
        return { ...next(), error: "SessionUnavailable" };
      }
      throw error;
    }

    // The refresh token expires with Keycloak's SSO session (idle or max): so does the app session. session.maxAge
    // is enforced here from the sign-in time, whatever expiry a cookie (or next-auth's own rolling one) carries.
    const nowMs = clock.nowMs();
    if (token.refresh_expires_at && nowMs >= token.refresh_expires_at * 1000) {
      // The cookie can lag behind a refresh that extended the session (one answered after the request stopped
      // waiting, or a Set-Cookie the browser never got): the stored idle end is the newest.
      const storedIdleEndS = parseTokenState(rawTokens)?.refreshExpiresAt;
      if (!storedIdleEndS || nowMs >= storedIdleEndS * 1000) throw new SessionEndedError("expired");
    }
    if (token.signedInAtMs && nowMs >= absoluteEndMs(token.signedInAtMs, deps.sessionMaxAgeS)) throw new SessionEndedError("expired");

    const known = answers.get(token);
    if (known && known.rawTokens === rawTokens && isFresh(known.state, nowMs / 1000)) return known.answer;

    let state = parseTokenState(rawTokens);
    const stored = state;
    if (!state || !isFresh(state, nowMs / 1000)) {
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
          // A sign-out while the refresh ran is why Keycloak refused it: that reason stands.
          const { previous } = await revocation.revoke({ sessionId }, "refresh-refused");
          throw new SessionEndedError(previous ?? "refresh-refused");
        }
        if (!isAppError(error)) {
          // A bug, not an outage: reported as unknown with its stack, and the session is kept for the next request.
          log.error("SESSION_REFRESH_UNEXPECTED_ERROR", describeUnknown(error));
          return { ...next(), error: "RefreshAccessTokenError" };
        }
        const storeDown = isAppError(error, "STORE_UNAVAILABLE");
        log.warn("SESSION_REFRESH_FAILED", { session: shortId(sessionId), code: error.code, reason: error.message });
        return { ...next(), error: storeDown ? "SessionUnavailable" : "RefreshAccessTokenError" };
      }
    }

    // The same object, keys in the same order, as { ...next(), refresh_token, expires_at, ..., roles, accessToken }, in one copy.
    const answer: JWT = {
      ...token,
      error: undefined,
      roles: state.roles,
      accessToken: state.accessToken,
      refresh_token: state.refreshToken,
      expires_at: state.expiresAt,
      refresh_expires_at: state.refreshExpiresAt ?? token.refresh_expires_at,
    };
    // Remembered only for the read path's frozen tokens, and only for the state the store holds (not a refresh's).
    if (!Object.isFrozen(token) || state !== stored || rawTokens === null) return answer;
    answers.set(token, { rawTokens, state, answer: deepFreeze(answer) });
    return answer;
  }

  return { start, continue: continueSession };
}

/** The ID token's `sid` (back-channel logout) and `auth_time` (when the user last entered credentials). */
export function readIdTokenClaims(idToken: string): { sid?: string; authTime?: number } {
  try {
    const { sid, auth_time: authTime } = decodeJwt(idToken);
    return { sid: typeof sid === "string" ? sid : undefined, authTime: typeof authTime === "number" ? authTime : undefined };
  } catch {
    return {};
  }
}
