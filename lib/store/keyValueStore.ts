import { AppError } from "../errors";

/**
 * A small key-value contract with per-key expiry, plus schedules (members ordered by a due time): everything several
 * app instances must share (revoked sessions, refresh coordination, server-side tokens, seen logout-token ids,
 * pending Keycloak logouts) goes through it.
 */
export interface KeyValueStore {
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
  /** Puts `member` on the schedule `key`, due at `dueAtMs` (epoch ms); an existing member is moved. */
  scheduleAt(key: string, member: string, dueAtMs: number): Promise<void>;
  /** Up to `limit` members of the schedule due at or before `nowMs`, earliest first. */
  dueMembers(key: string, nowMs: number, limit: number): Promise<string[]>;
  /** Takes `member` off the schedule. */
  unschedule(key: string, member: string): Promise<void>;
  /** How many members the schedule holds. */
  scheduleSize(key: string): Promise<number>;
  /** Sends `message` to every subscriber of `channel` in every instance (Redis PUBLISH: at most once, none while down). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Calls `onMessage` for every message on `channel`, and `onResubscribed` when the subscription was lost and is back
   * (messages sent meanwhile are lost: check what they would have said). Returns the unsubscribe.
   */
  subscribe(channel: string, onMessage: (message: string) => void, onResubscribed?: () => void): () => void;
  /** Whether the data survives a restart of the store: Redis with RDB or AOF is "durable"; "unknown" if it will not say. */
  persistence(): Promise<"durable" | "none" | "unknown">;
  close(): Promise<void>;
}

/** The shared store did not answer; callers fail closed. */
export function storeUnavailable(message: string, cause?: unknown): AppError {
  return new AppError("STORE_UNAVAILABLE", message, { cause });
}
