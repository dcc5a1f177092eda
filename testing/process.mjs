// @ts-check
// Child processes of the test stacks, the benchmark and the dev script (identity provider, Keycloak,
// redis-server, `next start`), and their cleanup. The one process starter of the toolkit.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import net from "node:net";

const children = new Set();

/** Kills every child still running, by process group (each child leads its own). Synchronous, so it works in "exit". */
export function killAll(signal = "SIGTERM") {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

let installed = false;

/** Makes sure no child outlives the benchmark: normal exit, an error, Ctrl-C or SIGTERM. */
export function installCleanup() {
  if (installed) return;
  installed = true;
  process.on("exit", () => killAll("SIGKILL"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping child processes`);
      killAll("SIGTERM");
      process.exit(130);
    });
  }
}

/**
 * Spawns a long-running child in its own process group, keeping its output in memory (never printed
 * unless it fails: app logs carry no tokens, but the benchmark's output stays short).
 */
/**
 * @param {string} name shown in error messages
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string | undefined>, cwd?: string }} [options]
 */
export function startChild(name, command, args, { env, cwd } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.add(child);
  let output = "";
  const onData = (chunk) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  return {
    name,
    child,
    output: () => output,
    exited,
    /** Resolves once `pattern` appears in the output; rejects if the child exits first or after `timeoutMs`. */
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          if (pattern.test(output)) return resolve();
          if (child.exitCode !== null || child.signalCode !== null) {
            return reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${tail(output)}`));
          }
          if (Date.now() - started > timeoutMs) return reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${tail(output)}`));
          setTimeout(tick, 50);
        };
        tick();
      });
    },
    /** SIGTERM to the group, SIGKILL after 5 s; resolves when it has exited. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The last lines of a process's output, for error messages. */
export function tail(text, lines = 30) {
  return text.split("\n").slice(-lines).join("\n");
}

/** Fails early, naming the port, when something else already listens there. */
export async function assertPortFree(port) {
  await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`port ${port} is in use: stop what listens there, or set other BENCH_* ports`)));
    server.listen(port, "127.0.0.1", () => server.close(resolve));
  });
}

/**
 * Polls `url` until it answers 2xx; fails early when `handle`'s process exits.
 * @param {string} url
 * @param {{ name: string, child: import("node:child_process").ChildProcess, output(): string }} handle
 */
export async function waitForHttp(url, handle, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null) throw new Error(`${handle.name} exited:\n${tail(handle.output())}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${handle.name} did not answer ${url} within ${timeoutMs} ms:\n${tail(handle.output())}`);
}

/**
 * CPU time (user + system, ms) used so far by every live process in process group `pgid` (a child started
 * here and anything it spawned), from /proc. CPU per request moves far less than req/s when other work
 * shares the cores.
 */
export function groupCpuMs(pgid) {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // Fields after the command name (which may contain spaces): state is field 3, pgrp 5, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * (1000 / CLOCK_TICKS_PER_S);
}

const CLOCK_TICKS_PER_S = 100;

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
