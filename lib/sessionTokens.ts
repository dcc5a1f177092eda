import { randomUUID } from "node:crypto";
import { log } from "./log";
import { isStoreUnavailable, type SessionStore } from "./sessionStore";
import { sessionKeys } from "./sessionKeys";
import { RefreshError, type RefreshedTokens } from "./tokenRefresh";

/** What the server keeps per app session, outside the cookie. Times are epoch seconds. */
export interface TokenState {
  accessToken: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt?: number;
  roles: string[];
}

/** A refresh is performed this far ahead of the access token's expiry (clock skew between hosts). */
export const EXPIRY_SKEW_S = 10;
const LOCK_POLL_MS = 25;

/** True while the access token is usable for at least the skew margin. */
export function isFresh(state: TokenState | null | undefined, nowS = Date.now() / 1000): boolean {
  return !!state && state.expiresAt - EXPIRY_SKEW_S > nowS;
}

/** Parses a stored state; a corrupt entry counts as absent. */
export function parseTokenState(raw: string | null): TokenState | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as TokenState;
    return typeof value.accessToken === "string" && typeof value.refreshToken === "string" ? value : null;
  } catch {
    return null;
  }
}

/** Writes a session's token state; it expires with the refresh token (or after `fallbackTtlMs`). */
export async function saveTokenState(
  store: SessionStore,
  sessionId: string,
  state: TokenState,
  fallbackTtlMs: number,
): Promise<void> {
  const ttlMs = state.refreshExpiresAt ? state.refreshExpiresAt * 1000 - Date.now() : fallbackTtlMs;
  await store.set(sessionKeys.tokens(sessionId), JSON.stringify(state), Math.max(1000, ttlMs));
}

/** Inputs of a coordinated refresh. */
export interface RefreshCoordination {
  store: SessionStore;
  sessionId: string;
  /** The refresh token from the cookie, used when the store has none (e.g. after a restart) or an older one. */
  cookieRefreshToken: string;
  /** The access-token expiry the cookie was written with: tells which refresh token is newer. */
  cookieExpiresAt?: number;
  /** Performs the actual grant. */
  refresh: (refreshToken: string) => Promise<RefreshedTokens>;
  /** Derives roles from a new access token. */
  rolesOf: (accessToken: string) => string[];
  /** How long the refresh lock lives: at least the refresh request's own timeout. */
  lockTtlMs: number;
  /** TTL for the state when the provider gave no refresh expiry. */
  fallbackTtlMs: number;
}

/** Refreshes that share one in-process coalescing map: one per process (tests make several). */
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

// One per process, on globalThis: Next bundles pages and API routes separately, each with its own module copy.
const holder = globalThis as typeof globalThis & { __refreshCoordinator?: ReturnType<typeof createRefreshCoordinator> };

/**
 * Returns fresh tokens for a session, performing at most one refresh_token grant per session at a time:
 * concurrent callers in this process share one promise, and across instances a store lock elects one
 * refresher while the others wait for the state it writes. The refresher always uses the newest refresh
 * token (stored or from the cookie), so single-use refresh tokens (Keycloak "Revoke Refresh Token") survive
 * a burst.
 */
export function ensureFreshTokens(options: RefreshCoordination): Promise<TokenState> {
  holder.__refreshCoordinator ??= createRefreshCoordinator();
  return holder.__refreshCoordinator(options);
}

async function coordinate(options: RefreshCoordination): Promise<TokenState> {
  const { store, sessionId } = options;
  const deadline = Date.now() + options.lockTtlMs;
  const lockKey = sessionKeys.refreshLock(sessionId);

  for (;;) {
    const current = parseTokenState(await store.get(sessionKeys.tokens(sessionId)));
    if (current && isFresh(current)) return current;

    const owner = randomUUID();
    if (await store.setIfAbsent(lockKey, owner, options.lockTtlMs)) {
      try {
        // Another instance may have finished between our read and taking the lock.
        const latest = parseTokenState(await store.get(sessionKeys.tokens(sessionId)));
        if (latest && isFresh(latest)) return latest;
        const storedIsNewest = latest && latest.expiresAt >= (options.cookieExpiresAt ?? 0);
        const refreshed = await options.refresh(storedIsNewest ? latest.refreshToken : options.cookieRefreshToken);
        const state: TokenState = {
          accessToken: refreshed.accessToken,
          expiresAt: refreshed.expiresAt,
          refreshToken: refreshed.refreshToken,
          refreshExpiresAt: refreshed.refreshExpiresAt,
          roles: options.rolesOf(refreshed.accessToken),
        };
        try {
          await saveTokenState(store, sessionId, state, options.fallbackTtlMs);
        } catch (error) {
          if (!isStoreUnavailable(error)) throw error;
          // Keycloak may have rotated the refresh token: the cookie must carry the new one even so.
          log.error("SESSION_STORE_WRITE_FAILED", { behaviour: "new refresh token kept in the cookie" });
        }
        return state;
      } finally {
        await store.deleteIfValue(lockKey, owner).catch(() => undefined);
      }
    }

    if (Date.now() >= deadline) {
      throw new RefreshError("UNAVAILABLE", "Timed out waiting for another instance's refresh");
    }
    if (await store.get(sessionKeys.revokedSession(sessionId))) {
      throw new RefreshError("INVALID_GRANT", "The session ended while waiting for a refresh");
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}
