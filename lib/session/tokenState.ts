import type { KeycloakRoles } from "../keycloak/roles";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";

/** What the server keeps per app session, outside the cookie. Times are epoch seconds. */
export interface TokenState {
  accessToken: string;
  expiresAt: number;
  /** The access token's lifetime when issued (s); sets the refresh margin. */
  lifetimeS?: number;
  refreshToken: string;
  refreshExpiresAt?: number;
  roles: KeycloakRoles;
}

/** At most this long before expiry a token is refreshed (clock skew between hosts), in seconds. */
export const MAX_REFRESH_MARGIN_S = 10;
/** Share of a token's lifetime used as the margin when that is smaller: a fresh token is never already due. */
const MARGIN_SHARE_OF_LIFETIME = 0.25;

/** How long before expiry a token with this lifetime is refreshed, in seconds. */
export function refreshMarginS(lifetimeS: number | undefined): number {
  if (!lifetimeS || lifetimeS <= 0) return MAX_REFRESH_MARGIN_S;
  return Math.min(MAX_REFRESH_MARGIN_S, lifetimeS * MARGIN_SHARE_OF_LIFETIME);
}

/** True while the access token is usable for at least its refresh margin. */
export function isFresh(state: TokenState | null | undefined, nowS = Date.now() / 1000): boolean {
  return !!state && state.expiresAt - refreshMarginS(state.lifetimeS) > nowS;
}

/** Parses a stored state; a corrupt entry (or one from an older layout) counts as absent. */
export function parseTokenState(raw: string | null): TokenState | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as TokenState;
    const roles = value.roles as Partial<KeycloakRoles> | undefined;
    if (typeof value.accessToken !== "string" || typeof value.refreshToken !== "string") return null;
    if (!roles || !Array.isArray(roles.realm) || !Array.isArray(roles.client)) return null;
    return value;
  } catch {
    return null;
  }
}

/** Writes a session's token state; it expires with the refresh token (or after `fallbackTtlMs`). */
export async function saveTokenState(
  store: KeyValueStore,
  sessionId: string,
  state: TokenState,
  fallbackTtlMs: number,
): Promise<void> {
  const ttlMs = state.refreshExpiresAt ? state.refreshExpiresAt * 1000 - Date.now() : fallbackTtlMs;
  await store.set(storeKeys.tokens(sessionId), JSON.stringify(state), Math.max(1000, ttlMs));
}
