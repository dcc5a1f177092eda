import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { freePort } from "./freePort";

/** A throwaway redis-server on loopback, no persistence. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** True when Debian's redis-server is installed (`apt-get install -y redis-server`). */
export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Starts redis-server on `port` (a free loopback port by default) and resolves once it accepts connections. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis-server did not start within 5 s")), 5000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * Redis-backed tests need the real server. Locally without it they are skipped with a notice;
 * in CI (CI=true) its absence is a failure, so they can never be skipped silently there.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (hasRedisServer()) return describe(name, body);
  if (process.env.CI) {
    return describe(name, () => {
      it("has redis-server installed", () => {
        throw new Error("redis-server is missing: apt-get install -y redis-server");
      });
    });
  }
  console.warn(`Skipping "${name}": redis-server is not installed (apt-get install -y redis-server).`);
  describe.skip(name, body);
}
