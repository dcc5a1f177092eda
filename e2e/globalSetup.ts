import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { startRedisServer } from "../testing/redisServer";
import { startIdp } from "../testing/startIdp";
import { STACK } from "./stack";

const ROOT = path.resolve(__dirname, "..");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app at ${url} exited:\n${log()}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`app at ${url} did not become healthy:\n${log()}`);
}

function startApp(port: number, env: Record<string, string>): { child: ChildProcess; log: () => string } {
  let output = "";
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port)], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, log: () => output };
}

/**
 * Builds the app and starts the whole stack the specs use: a real redis-server, the built-in identity
 * provider, and two production instances of the app sharing Redis. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const redis = await startRedisServer();
  const idp = await startIdp({
    port: STACK.idpPort,
    env: {
      IDP_APP_URL: STACK.appA,
      IDP_ACCESS_TOKEN_TTL_S: String(STACK.accessTokenTtlS),
      IDP_REVOKE_REFRESH_TOKEN: "true",
    },
  });

  const appEnv = {
    NEXTAUTH_URL: STACK.appA,
    NEXTAUTH_SECRET: "e2e-secret-0123456789abcdef0123456789abcdef",
    KEYCLOAK_ISSUER: STACK.issuer,
    KEYCLOAK_CLIENT_ID: "nextjs-app",
    KEYCLOAK_CLIENT_SECRET: "nextjs-app-secret",
    KEYCLOAK_LOGOUT_TIMEOUT_MS: String(STACK.logoutTimeoutMs),
    KEYCLOAK_REFRESH_WAIT_MS: String(STACK.refreshWaitMs),
    REDIS_URL: redis.url,
  };
  const apps = [startApp(Number(new URL(STACK.appA).port), appEnv), startApp(Number(new URL(STACK.appB).port), appEnv)];

  const teardown = async () => {
    for (const app of apps) app.child.kill("SIGTERM");
    await idp.stop();
    await redis.stop();
    if (process.env.E2E_SHOW_LOGS) for (const app of apps) console.log(app.log());
  };
  try {
    await waitForHealth(STACK.appA, apps[0].child, apps[0].log);
    await waitForHealth(STACK.appB, apps[1].child, apps[1].log);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
