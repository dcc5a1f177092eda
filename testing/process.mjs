// @ts-check
// Child processes of the test stacks, the benchmark and the dev script (identity provider, Keycloak,
// redis-server, `next start`), and their cleanup. The one process starter of the toolkit.
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync, readdirSync } from "node:fs";
import net from "node:net";

/** @type {Set<import("node:child_process").ChildProcess>} */
const children = new Set();

/**
 * A started child: its output so far, its exit, and a stop that waits for it.
 * @typedef {{
 *   name: string,
 *   child: import("node:child_process").ChildProcess,
 *   output: () => string,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>,
 *   waitFor: (pattern: RegExp, timeoutMs: number) => Promise<void>,
 *   stop: () => Promise<void>,
 * }} ChildHandle
 */

/** Kills every child still running, by process group (each child leads its own). Synchronous, so it works in "exit". */
export function killAll(signal = "SIGTERM") {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

let exitHookInstalled = false;
let signalsInstalled = false;

/** Children run in their own process groups, so nothing kills them with this process: its exit does. */
function killAllOnExit() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => killAll("SIGKILL"));
}

/**
 * For scripts that own their process (the benchmark, a tier's setup): Ctrl-C, SIGTERM or SIGHUP stop every
 * child and exit. Not for a test runner's own process, whose signals are the runner's.
 */
export function installCleanup() {
  killAllOnExit();
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping child processes`);
      killAll("SIGTERM");
      process.exit(130);
    });
  }
}

/**
 * Spawns a long-running child in its own process group, keeping its output in memory (shown in error
 * messages, and by callers that want it). `echo` also copies it to this process's stdout and stderr (the dev
 * script); `logFile` appends it to a file (for specs that read a server's log from another process).
 * @param {string} name shown in error messages
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string | undefined>, cwd?: string, echo?: boolean, logFile?: string }} [options]
 * @returns {ChildHandle}
 */
export function startChild(name, command, args, { env, cwd, echo = false, logFile } = {}) {
  killAllOnExit();
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.add(child);
  let output = "";
  /** @param {NodeJS.WriteStream} stream */
  const collect = (stream) => (/** @type {Buffer} */ chunk) => {
    output += chunk.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    if (echo) stream.write(chunk);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on("data", collect(process.stdout));
  child.stderr?.on("data", collect(process.stderr));
  /** @type {ChildHandle["exited"]} */
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  /** @param {NodeJS.Signals} signal */
  const signalGroup = (signal) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // already gone
    }
  };
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
      if (!signalGroup("SIGTERM")) return;
      const timer = setTimeout(() => signalGroup("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The last lines of a process's output, for error messages.
 * @param {string} text
 */
export function tail(text, lines = 30) {
  return text.split("\n").slice(-lines).join("\n");
}

/**
 * Fails early, naming the port, when something else already listens there.
 * @param {number} port
 */
export async function assertPortFree(port) {
  await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`port ${port} is in use: stop what listens there, or choose another port`)));
    server.listen(port, "127.0.0.1", () => server.close(resolve));
  });
}

/**
 * Polls `url` until it answers 2xx; fails early when `handle`'s process exits.
 * @param {string} url
 * @param {Pick<ChildHandle, "name" | "child" | "output">} handle
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
 * @param {number} pgid
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
 * Resident memory of every process in the group `pgid` (a child started by startChild leads its own group), in KB.
 * @param {number} pgid
 */
export function groupRssKb(pgid) {
  let kb = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      continue;
    }
  }
  return kb;
}

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
