import { createMemoryStore } from "@/lib/store/memoryStore";
import { createRedisStore } from "@/lib/store/redisStore";
import { isAppError } from "@/lib/errors";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { captureLogs } from "@/testing/captureLogs";
import { describeWithRedis, startRedisServer, type RedisServer } from "@/testing/redisServer";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The behaviour every backend must have; run against each below. */
function storeContract(getStore: () => KeyValueStore) {
  it("returns what was set, and null for an absent key", async () => {
    const store = getStore();
    await store.set("a", "1", 10_000);
    expect(await store.get("a")).toBe("1");
    expect(await store.get("missing")).toBeNull();
  });

  it("reads several keys in order with getMany", async () => {
    const store = getStore();
    await store.set("m1", "x", 10_000);
    await store.set("m3", "z", 10_000);
    expect(await store.getMany(["m1", "m2", "m3"])).toEqual(["x", null, "z"]);
    expect(await store.getMany([])).toEqual([]);
  });

  it("lets entries expire on their own", async () => {
    const store = getStore();
    await store.set("short", "1", 50);
    expect(await store.get("short")).toBe("1");
    await sleep(120);
    expect(await store.get("short")).toBeNull();
    expect(await store.setIfAbsent("short", "2", 1000)).toBe(true);
  });

  it("lets exactly one of many concurrent setIfAbsent calls win", async () => {
    const store = getStore();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent("lock", String(i), 5000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("deletes a key only while it still holds the given value (lock release by its owner)", async () => {
    const store = getStore();
    await store.set("owned", "owner-b", 10_000);
    await store.deleteIfValue("owned", "owner-a");
    expect(await store.get("owned")).toBe("owner-b");
    await store.deleteIfValue("owned", "owner-b");
    expect(await store.get("owned")).toBeNull();
  });

  it("hands out scheduled members once they are due, earliest first, and moves or removes them", async () => {
    const store = getStore();
    const now = Date.now();
    await store.scheduleAt("sched", "late", now + 60_000);
    await store.scheduleAt("sched", "second", now - 10);
    await store.scheduleAt("sched", "first", now - 20);
    expect(await store.dueMembers("sched", now, 10)).toEqual(["first", "second"]);
    expect(await store.dueMembers("sched", now, 1)).toEqual(["first"]);
    await store.scheduleAt("sched", "first", now + 30_000);
    await store.unschedule("sched", "second");
    expect(await store.dueMembers("sched", now, 10)).toEqual([]);
    expect(await store.scheduleSize("sched")).toBe(2);
  });

  it("delivers a published message to every subscriber of the channel, and none after unsubscribing", async () => {
    const store = getStore();
    const channel = `channel-${Math.random()}`;
    const heard: string[] = [];
    const first = new Promise<string>((resolve) => store.subscribe(channel, resolve));
    const stop = store.subscribe(channel, (message) => heard.push(message));
    // A Redis subscription is confirmed asynchronously; publish until it is.
    for (let i = 0; i < 50 && heard.length === 0; i++) {
      await store.publish(channel, "hello");
      await sleep(20);
    }
    expect(await first).toBe("hello");
    stop();
    const count = heard.length;
    await store.publish(channel, "after");
    await sleep(50);
    expect(heard).toHaveLength(count);
    expect(heard.every((message) => message === "hello")).toBe(true);
  });

  it("deletes keys", async () => {
    const store = getStore();
    await store.set("gone", "1", 10_000);
    await store.delete("gone");
    expect(await store.get("gone")).toBeNull();
  });
}

describe("memory store", () => {
  let store: KeyValueStore;
  beforeEach(() => {
    store = createMemoryStore();
  });
  afterEach(() => store.close());
  storeContract(() => store);
});

describeWithRedis("redis store", () => {
  let redis: RedisServer;
  let store: KeyValueStore;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());
  beforeEach(() => {
    // A database per test keeps tests independent without flushing.
    store = createRedisStore(`${redis.url}/${n++ % 16}`);
  });
  afterEach(() => store.close());

  storeContract(() => store);

  it("fails fast with STORE_UNAVAILABLE when Redis is unreachable, and says so once in the log", async () => {
    const logs = captureLogs();
    const down = await startRedisServer();
    const unreachable = createRedisStore(down.url);
    await unreachable.set("k", "v", 1000);
    await down.stop();
    const started = Date.now();
    const error = await unreachable.get("k").catch((e: unknown) => e);
    expect(isAppError(error, "STORE_UNAVAILABLE")).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    await unreachable.get("k").catch(() => undefined);
    await unreachable.close();
    logs.restore();
    const unavailable = logs.lines().filter((line) => line.includes("STORE_REDIS_UNAVAILABLE"));
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatch(/behaviour=fail-closed/);
  });
});
