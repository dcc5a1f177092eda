import { EventEmitter } from "node:events";
import type { KeyValueStore } from "./keyValueStore";

const SWEEP_INTERVAL_MS = 60_000;

/** In-process store for a single instance: zero setup, lost on restart (the session cookie survives). */
export function createMemoryStore(): KeyValueStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const schedules = new Map<string, Map<string, number>>();
  const schedule = (key: string) => {
    let members = schedules.get(key);
    if (!members) schedules.set(key, (members = new Map()));
    return members;
  };

  const live = (key: string, now = Date.now()) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  // Expired entries are also dropped on read; the sweep bounds memory for keys never read again.
  const channels = new EventEmitter();
  // One listener per live session stream: thousands are normal, not a leak.
  channels.setMaxListeners(0);

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  return {
    kind: "memory",
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      const now = Date.now();
      return keys.map((key) => live(key, now)?.value ?? null);
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async deleteIfValue(key, value) {
      if (live(key)?.value === value) entries.delete(key);
    },
    async scheduleAt(key, member, dueAtMs) {
      schedule(key).set(member, dueAtMs);
    },
    async dueMembers(key, nowMs, limit) {
      return [...schedule(key)]
        .filter(([, due]) => due <= nowMs)
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([member]) => member);
    },
    async unschedule(key, member) {
      schedule(key).delete(member);
    },
    async scheduleSize(key) {
      return schedule(key).size;
    },
    async publish(channel, message) {
      channels.emit(channel, message);
    },
    subscribe(channel, onMessage) {
      channels.on(channel, onMessage);
      return () => void channels.off(channel, onMessage);
    },
    async persistence() {
      return "none" as const;
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
      schedules.clear();
      channels.removeAllListeners();
    },
  };
}
