// @ts-check
// A throwaway redis-server on loopback without persistence (Debian's `apt-get install -y redis-server`),
// for the store tests, the end-to-end stacks and the benchmark.
import { spawnSync } from "node:child_process";
import { freePort, startChild } from "./process.mjs";

/** @typedef {import("./process.mjs").ChildHandle & { url: string, port: number }} RedisServer */

/** True when redis-server is installed. */
export function hasRedisServer() {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Starts redis-server on `port` (a free loopback port by default) and resolves once it accepts connections.
 * @param {{ port?: number, timeoutMs?: number }} [options]
 * @returns {Promise<RedisServer>}
 */
export async function startRedis({ port, timeoutMs = 10_000 } = {}) {
  const listenPort = port ?? (await freePort());
  const args = ["--port", String(listenPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const handle = startChild(`redis-server :${listenPort}`, "redis-server", args);
  await handle.waitFor(/Ready to accept connections/, timeoutMs);
  return { ...handle, url: `redis://127.0.0.1:${listenPort}`, port: listenPort };
}
