import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { STACK } from "./stack";

const ROOT = path.resolve(__dirname, "..");
/** The Next.js CLI of this repository. */
export const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

/** The environment every e2e app instance gets; all sit behind one public URL, instance A's. */
export function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NEXTAUTH_URL: STACK.appA,
    NEXTAUTH_SECRET: STACK.nextAuthSecret,
    KEYCLOAK_ISSUER: STACK.issuer,
    KEYCLOAK_CLIENT_ID: "nextjs-app",
    KEYCLOAK_CLIENT_SECRET: "nextjs-app-secret",
    KEYCLOAK_LOGOUT_TIMEOUT_MS: String(STACK.logoutTimeoutMs),
    KEYCLOAK_REFRESH_WAIT_MS: String(STACK.refreshWaitMs),
    ...extra,
  };
}

/** A production `next start` of the built app. */
export interface AppProcess {
  url: string;
  log(): string;
  /** Resolves once the server answers /api/health. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `next start` on `url`'s port with `env` (the build must exist). */
export function startApp(url: string, env: Record<string, string>): AppProcess {
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-p", new URL(url).port], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  return {
    url,
    log: () => output,
    async ready() {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`app at ${url} exited:\n${output}`);
        try {
          if ((await fetch(`${url}/api/health`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`app at ${url} did not become healthy:\n${output}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
