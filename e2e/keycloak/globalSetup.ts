import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { appEnv, buildApp, startApp } from "../../testing/appServer.mjs";
import { startFaultProxy } from "../../testing/faultProxy.mjs";
import { keycloakVersions, startKeycloak } from "../../testing/keycloak.mjs";
import { logProblems } from "../../testing/logProblems.mjs";
import { startRedis } from "../../testing/redis.mjs";
import { appLogFile, KC_STACK } from "./stack";

/**
 * Builds the app into its own dist dir and starts the Keycloak tier's stack: a real Keycloak (KEYCLOAK_VERSION,
 * default the pinned one) behind a fault proxy, a real redis-server and two production app instances sharing it.
 * Returns the teardown, which fails the run if a server log holds a token.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const version = process.env.KEYCLOAK_VERSION || keycloakVersions().pinned;
  const logDir = mkdtempSync(path.join(os.tmpdir(), "keycloak-tier-logs-"));
  // Workers inherit the runner's environment: the specs find the app logs here.
  process.env[KC_STACK.logDirEnv] = logDir;

  const stops: (() => Promise<void>)[] = [];
  const logs: Record<string, () => string> = {};
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
    rmSync(logDir, { recursive: true, force: true });
    // Whatever the specs did, no server log may hold a token, an unhandled rejection or a render error.
    const problems = logProblems(Object.fromEntries(Object.entries(logs).map(([name, log]) => [name, log()])));
    if (problems.length) throw new Error(`The servers' logs show problems:\n${problems.join("\n")}`);
  };

  try {
    const proxy = await startFaultProxy({ port: KC_STACK.proxyPort, targetPort: KC_STACK.keycloakPort, controlPort: KC_STACK.proxyControlPort });
    stops.push(() => proxy.stop());

    // The build and Keycloak's start are the slow parts: side by side.
    const [started, built] = await Promise.allSettled([
      startKeycloak({
        version,
        port: KC_STACK.keycloakPort,
        appUrl: KC_STACK.appA,
        hostname: KC_STACK.keycloakPublicOrigin,
        adminUsername: KC_STACK.keycloakAdmin.username,
        adminPassword: KC_STACK.keycloakAdmin.password,
      }),
      process.env.E2E_SKIP_BUILD ? Promise.resolve({ ms: 0 }) : buildApp({ distDir: KC_STACK.distDir }),
    ]);
    if (started.status === "fulfilled") {
      stops.push(() => started.value.stop());
      logs.keycloak = started.value.output;
    }
    if (started.status === "rejected") throw started.reason;
    if (built.status === "rejected") throw built.reason;
    const keycloak = started.value;
    if (keycloak.issuer !== KC_STACK.issuer) throw new Error(`Keycloak's issuer is ${keycloak.issuer}, the tier expects ${KC_STACK.issuer}`);
    console.log(
      `Keycloak ${keycloak.version} (Java ${keycloak.javaMajor}) answered discovery after ${keycloak.startedInMs} ms; app build ${built.value.ms} ms`,
    );

    const redis = await startRedis();
    stops.push(() => redis.stop());
    process.env[KC_STACK.redisUrlEnv] = redis.url;

    const env = appEnv({
      publicUrl: KC_STACK.appA,
      issuer: KC_STACK.issuer,
      secret: KC_STACK.nextAuthSecret,
      redisUrl: redis.url,
      logoutTimeoutMs: KC_STACK.logoutTimeoutMs,
      refreshWaitMs: KC_STACK.refreshWaitMs,
      reauthMaxAgeS: KC_STACK.reauthMaxAgeS,
    });
    const apps = await Promise.allSettled(
      (["a", "b"] as const).map((name) =>
        startApp({ url: name === "a" ? KC_STACK.appA : KC_STACK.appB, env, distDir: KC_STACK.distDir, logFile: appLogFile(logDir, name) }),
      ),
    );
    for (const [i, app] of apps.entries()) {
      if (app.status === "rejected") continue;
      stops.push(() => app.value.stop());
      logs[`app ${"AB"[i]}`] = app.value.output;
    }
    for (const app of apps) if (app.status === "rejected") throw app.reason;
  } catch (error) {
    await teardown().catch(() => {});
    throw error;
  }
  return teardown;
}
