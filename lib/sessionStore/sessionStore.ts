/**
 * A small key-value contract with per-key expiry: everything several app instances must share
 * (revoked sessions, refresh coordination, server-side tokens, seen logout-token ids) goes through it.
 */
export interface SessionStore {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<string | null>;
  /** Values in the order of `keys`, null where absent or expired. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Stores `value`, replacing any old one; it expires after `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores `value` only if the key is absent; true when this call stored it (a lock or a first sighting). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes the key only while it still holds `value` (releases a lock only by its owner). */
  deleteIfValue(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** The shared store did not answer; callers fail closed. */
export class StoreUnavailableError extends Error {
  readonly code = "STORE_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * True for a StoreUnavailableError from any copy of this module: Next bundles pages and API routes
 * separately, while the store itself is one per process, so `instanceof` can see another class.
 */
export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return (error as { code?: unknown } | null)?.code === "STORE_UNAVAILABLE";
}
