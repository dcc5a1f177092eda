import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";

/** The methods that reach Redis for a value or a schedule (everything a session or a logout writes or reads). */
const DATA_METHODS = ["get", "getMany", "set", "setIfAbsent", "delete", "deleteIfValue", "scheduleAt", "dueMembers", "unschedule", "scheduleSize"] as const;

/**
 * `store` as the app sees it while Redis does not answer: each call rejects with STORE_UNAVAILABLE, for keys matching
 * `onlyKeys` when given, until `heal()`. The data stays in `store`, as Redis keeps it through an outage.
 */
export function storeOutage(store: KeyValueStore, onlyKeys?: RegExp): { store: KeyValueStore; heal(): void } {
  let down = true;
  const wrapped: Record<string, unknown> = { ...store };
  for (const method of DATA_METHODS) {
    const real = store[method] as (key: unknown, ...rest: unknown[]) => Promise<unknown>;
    wrapped[method] = (key: unknown, ...rest: unknown[]) =>
      down && (!onlyKeys || onlyKeys.test(String(key))) ? Promise.reject(storeUnavailable("Redis did not answer")) : real(key, ...rest);
  }
  return { store: wrapped as unknown as KeyValueStore, heal: () => void (down = false) };
}
