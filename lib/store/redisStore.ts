import Redis from "ioredis";
import { log } from "../log";
import { storeUnavailable, type KeyValueStore } from "./keyValueStore";

const KEY_PREFIX = "kcauth:";
// Compare-and-delete in one step, so a lock that expired and was taken by another instance is not released.
const DELETE_IF_VALUE = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0';
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 1000;

/**
 * Redis-backed store shared by every instance. Commands fail fast (no offline queue, 500 ms bound)
 * while Redis is unreachable, so requests get a STORE_UNAVAILABLE error instead of hanging; the client
 * keeps reconnecting in the background and logs each change of state once.
 */
export function createRedisStore(url: string): KeyValueStore {
  const client = new Redis(url, {
    keyPrefix: KEY_PREFIX,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });

  let healthy = true;
  // Until the first connection, commands wait for it (bounded); afterwards an outage fails them at once.
  let connected = false;
  const firstConnection = new Promise<void>((resolve) => client.once("ready", () => resolve()));
  client.on("ready", () => {
    connected = true;
    if (!healthy) log.info("STORE_REDIS_RECONNECTED");
    healthy = true;
  });
  const markUnavailable = (message: string) => {
    if (healthy) log.error("STORE_REDIS_UNAVAILABLE", { message, behaviour: "fail-closed" });
    healthy = false;
  };
  client.on("error", (error: Error) => markUnavailable(error.message));

  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    if (!connected) {
      await Promise.race([firstConnection, new Promise((resolve) => setTimeout(resolve, CONNECT_TIMEOUT_MS).unref())]);
    }
    try {
      return await command();
    } catch (error) {
      if (client.status !== "ready") markUnavailable((error as Error).message);
      throw storeUnavailable("Redis did not answer", error);
    }
  };

  // Pub/sub needs a connection of its own (a subscribed connection takes no other command); made on first use,
  // it queues its SUBSCRIBE until connected and resubscribes after every reconnection.
  let subscriber: Redis | undefined;
  const handlers = new Map<string, Set<{ onMessage: (message: string) => void; onResubscribed?: () => void }>>();
  const subscriberConnection = () => {
    if (subscriber) return subscriber;
    subscriber = client.duplicate({ enableOfflineQueue: true, keyPrefix: undefined });
    let lost = false;
    subscriber.on("error", () => void (lost = true));
    subscriber.on("close", () => void (lost = true));
    subscriber.on("ready", () => {
      if (!lost) return;
      lost = false;
      for (const set of handlers.values()) for (const handler of set) handler.onResubscribed?.();
    });
    subscriber.on("message", (channel: string, message: string) => {
      for (const handler of handlers.get(channel) ?? []) handler.onMessage(message);
    });
    return subscriber;
  };

  return {
    kind: "redis",
    get: (key) => run(() => client.get(key)),
    getMany: (keys) => run(() => (keys.length ? client.mget(...keys) : Promise.resolve([]))),
    set: (key, value, ttlMs) => run(async () => void (await client.set(key, value, "PX", Math.max(1, Math.ceil(ttlMs))))),
    setIfAbsent: (key, value, ttlMs) =>
      run(async () => (await client.set(key, value, "PX", Math.max(1, Math.ceil(ttlMs)), "NX")) === "OK"),
    delete: (key) => run(async () => void (await client.del(key))),
    deleteIfValue: (key, value) => run(async () => void (await client.eval(DELETE_IF_VALUE, 1, key, value))),
    scheduleAt: (key, member, dueAtMs) => run(async () => void (await client.zadd(key, dueAtMs, member))),
    dueMembers: (key, nowMs, limit) => run(() => client.zrangebyscore(key, "-inf", nowMs, "LIMIT", 0, limit)),
    unschedule: (key, member) => run(async () => void (await client.zrem(key, member))),
    scheduleSize: (key) => run(() => client.zcard(key)),
    publish: (channel, message) => run(async () => void (await client.publish(KEY_PREFIX + channel, message))),
    subscribe: (channel, onMessage, onResubscribed) => {
      const name = KEY_PREFIX + channel;
      const handler = { onMessage, onResubscribed };
      let set = handlers.get(name);
      if (!set) {
        handlers.set(name, (set = new Set()));
        subscriberConnection().subscribe(name).catch(() => undefined);
      }
      set.add(handler);
      return () => void set.delete(handler);
    },
    persistence: async () => {
      try {
        const [, save] = (await run(() => client.config("GET", "save"))) as string[];
        const [, appendOnly] = (await run(() => client.config("GET", "appendonly"))) as string[];
        return save || appendOnly === "yes" ? "durable" : "none";
      } catch {
        // CONFIG is often renamed or refused on managed Redis.
        return "unknown";
      }
    },
    close: async () => {
      subscriber?.disconnect();
      client.disconnect();
    },
  };
}
