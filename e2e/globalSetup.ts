import { spawnSync } from "node:child_process";
import path from "node:path";
import { startRedisServer } from "../testing/redisServer";
import { startIdp } from "../testing/startIdp";
import { appEnv, NEXT_BIN, startApp } from "./appProcess";
import { STACK } from "./stack";

const LOG_RULES: [RegExp, string][] = [
  [/eyJ[\w-]{10,}\.[\w-]{10,}/, "a JWT (token) in a log line"],
  [/unhandledRejection|Unhandled(Promise)?Rejection|uncaughtException/i, "an unhandled rejection or exception"],
  [/⨯/, "an error Next.js caught while rendering or routing"],
];

/** Lines of the servers' output that break a rule, named by server and rule. */
export function logProblems(logs: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [server, log] of Object.entries(logs)) {
    for (const line of log.split("\n")) {
      for (const [pattern, what] of LOG_RULES) {
        if (pattern.test(line)) problems.push(`${server}: ${what}: ${line.replace(/eyJ[\w.-]+/g, "eyJ…").slice(0, 200)}`);
      }
    }
  }
  return problems;
}

/**
 * Builds the app and starts the whole stack the specs use: a real redis-server, the built-in identity
 * provider, and two production instances of the app sharing Redis. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: path.resolve(__dirname, ".."), stdio: "inherit" });
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
  const apps = [startApp(STACK.appA, appEnv({ REDIS_URL: redis.url })), startApp(STACK.appB, appEnv({ REDIS_URL: redis.url }))];

  const teardown = async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await idp.stop();
    await redis.stop();
    if (process.env.E2E_SHOW_LOGS) for (const app of apps) console.log(app.log());
    // Whatever the specs did, the servers' logs must hold no token and no unhandled failure.
    const problems = logProblems({ "app A": apps[0].log(), "app B": apps[1].log(), idp: idp.output() });
    if (problems.length) throw new Error(`The servers' logs show problems:\n${problems.join("\n")}`);
  };
  try {
    await Promise.all(apps.map((app) => app.ready()));
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
