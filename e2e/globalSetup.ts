import { buildApp, startApp, type AppServer } from "../testing/appServer.mjs";
import { startIdp } from "../testing/idpServer.mjs";
import { logProblems } from "../testing/logProblems.mjs";
import { startRedis } from "../testing/redis.mjs";
import { stackAppEnv } from "./helpers";
import { STACK } from "./stack";

/**
 * Builds the app and starts the whole stack the specs use: a real redis-server, the built-in identity
 * provider, and two production instances of the app sharing Redis. Returns the teardown, which fails the run
 * if a server's log breaks the log rule (testing/logProblems.mjs).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.E2E_SKIP_BUILD) console.log(`next build: ${((await buildApp()).ms / 1000).toFixed(1)} s`);

  const redis = await startRedis();
  // Specs that start instances of their own join the shared store through this (workers inherit the env).
  process.env.E2E_REDIS_URL = redis.url;
  const idp = await startIdp({
    port: STACK.idpPort,
    appUrl: STACK.appA,
    env: { IDP_ACCESS_TOKEN_TTL_S: String(STACK.accessTokenTtlS), IDP_REVOKE_REFRESH_TOKEN: "true" },
  });
  const apps: Record<string, AppServer> = {};
  const teardown = async () => {
    await Promise.all(Object.values(apps).map((app) => app.stop()));
    await idp.stop();
    await redis.stop();
    if (process.env.E2E_SHOW_LOGS) for (const app of Object.values(apps)) console.log(app.output());
    const logs = Object.fromEntries(Object.entries(apps).map(([name, app]) => [name, app.output()]));
    const problems = logProblems({ ...logs, idp: idp.output() });
    if (problems.length) throw new Error(`The servers' logs show problems:\n${problems.join("\n")}`);
  };
  const started = await Promise.allSettled([STACK.appA, STACK.appB].map((url) => startApp({ url, env: stackAppEnv(redis.url) })));
  started.forEach((result, i) => {
    if (result.status === "fulfilled") apps[`app ${"AB"[i]}`] = result.value;
  });
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await teardown().catch(() => undefined);
    throw failed.reason;
  }
  return teardown;
}
