import { randomUUID } from "node:crypto";
import { AppError, isAppError } from "../errors";
import type { RefreshedTokens } from "../keycloak/refreshGrant";
import type { KeycloakRoles } from "../keycloak/roles";
import { log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";
import { isFresh, parseTokenState, saveTokenState, type TokenState } from "./tokenState";

const LOCK_POLL_MS = 25;

/** Inputs of a coordinated refresh. */
export interface RefreshCoordination {
  store: KeyValueStore;
  sessionId: string;
  /** The refresh token from the cookie, used when the store has none (e.g. after a restart) or an older one. */
  cookieRefreshToken: string;
  /** The access-token expiry the cookie was written with: tells which refresh token is newer. */
  cookieExpiresAt?: number;
  /** Performs the actual grant. */
  refresh: (refreshToken: string) => Promise<RefreshedTokens>;
  /** Derives roles from a new access token. */
  rolesOf: (accessToken: string) => KeycloakRoles;
  /** How long the refresh lock lives: at least the refresh request's own timeout. */
  lockTtlMs: number;
  /** TTL for the state when the provider gave no refresh expiry. */
  fallbackTtlMs: number;
}

/**
 * Returns fresh tokens for a session, performing at most one refresh_token grant per session at a time:
 * concurrent callers in this process share one promise, and across instances a store lock elects one
 * refresher while the others wait for the state it writes. The refresher always uses the newest refresh
 * token (stored or from the cookie), so single-use refresh tokens (Keycloak "Revoke Refresh Token") survive
 * a burst. One coordinator per lifecycle (lib/session/lifecycle.ts builds it).
 */
export function createRefreshCoordinator(): (options: RefreshCoordination) => Promise<TokenState> {
  const inFlight = new Map<string, Promise<TokenState>>();
  return (options) => {
    const running = inFlight.get(options.sessionId);
    if (running) return running;
    const promise = coordinate(options).finally(() => inFlight.delete(options.sessionId));
    inFlight.set(options.sessionId, promise);
    return promise;
  };
}

async function coordinate(options: RefreshCoordination): Promise<TokenState> {
  const { store, sessionId } = options;
  const deadline = Date.now() + options.lockTtlMs;
  const lockKey = storeKeys.refreshLock(sessionId);

  for (;;) {
    const current = parseTokenState(await store.get(storeKeys.tokens(sessionId)));
    if (current && isFresh(current)) return current;

    const owner = randomUUID();
    if (await store.setIfAbsent(lockKey, owner, options.lockTtlMs)) {
      try {
        // Another instance may have finished between our read and taking the lock.
        const latest = parseTokenState(await store.get(storeKeys.tokens(sessionId)));
        if (latest && isFresh(latest)) return latest;
        const storedIsNewest = latest && latest.expiresAt >= (options.cookieExpiresAt ?? 0);
        const refreshed = await options.refresh(storedIsNewest ? latest.refreshToken : options.cookieRefreshToken);
        const state: TokenState = {
          accessToken: refreshed.accessToken,
          expiresAt: refreshed.expiresAt,
          lifetimeS: refreshed.lifetimeS,
          refreshToken: refreshed.refreshToken,
          refreshExpiresAt: refreshed.refreshExpiresAt,
          roles: options.rolesOf(refreshed.accessToken),
        };
        try {
          await saveTokenState(store, sessionId, state, options.fallbackTtlMs);
        } catch (error) {
          if (!isAppError(error, "STORE_UNAVAILABLE")) throw error;
          // Keycloak may have rotated the refresh token: the cookie must carry the new one even so.
          log.error("SESSION_STORE_WRITE_FAILED", { behaviour: "new refresh token kept in the cookie" });
        }
        return state;
      } finally {
        await store.deleteIfValue(lockKey, owner).catch(() => undefined);
      }
    }

    if (Date.now() >= deadline) {
      throw new AppError("REFRESH_UNAVAILABLE", "Timed out waiting for another instance's refresh");
    }
    if (await store.get(storeKeys.revokedSession(sessionId))) {
      throw new AppError("REFRESH_REFUSED", "The session ended while waiting for a refresh");
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}
