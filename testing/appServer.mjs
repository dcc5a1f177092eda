// @ts-check
// The app under test as a process: its environment, `next build`, and instances of `next start` (or
// `next dev`) that are ready once /api/health answers. For the end-to-end stacks and the benchmark.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startChild, tail, waitForHttp } from "./process.mjs";
import { CLIENT } from "./users.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The Next.js CLI of this repository. */
export const NEXT_BIN = fileURLToPath(new URL("../node_modules/next/dist/bin/next", import.meta.url));

/** @typedef {import("./process.mjs").ChildHandle & { url: string }} AppServer */

/**
 * The Next.js CLI of the checkout in `appDir`: its own copy, so that the build and the server load one React.
 * @param {string} appDir
 */
const nextBinOf = (appDir) => (appDir === ROOT ? NEXT_BIN : path.join(appDir, "node_modules", "next", "dist", "bin", "next"));

/**
 * The app's environment (README, Configuration) for a test instance; the realm's client credentials.
 * Optional settings left out keep the app's defaults. REDIS_URL and SESSION_COOKIE_CACHE_ENTRIES are always set
 * (empty means the default), so an instance never picks up a store or a cache size from the caller's environment.
 * @param {{
 *   publicUrl: string,
 *   issuer: string,
 *   secret: string,
 *   redisUrl?: string,
 *   logoutTimeoutMs?: number,
 *   refreshWaitMs?: number,
 *   federatedLogout?: boolean,
 *   reauthMaxAgeS?: number,
 *   cookieCacheEntries?: number,
 * }} settings `publicUrl` is NEXTAUTH_URL, the one URL every instance sits behind
 * @returns {Record<string, string>}
 */
export function appEnv({ publicUrl, issuer, secret, redisUrl = "", logoutTimeoutMs, refreshWaitMs, federatedLogout, reauthMaxAgeS, cookieCacheEntries }) {
  return {
    NEXTAUTH_URL: publicUrl,
    NEXTAUTH_SECRET: secret,
    KEYCLOAK_ISSUER: issuer,
    KEYCLOAK_CLIENT_ID: CLIENT.id,
    KEYCLOAK_CLIENT_SECRET: CLIENT.secret,
    REDIS_URL: redisUrl,
    ...(logoutTimeoutMs === undefined ? {} : { KEYCLOAK_LOGOUT_TIMEOUT_MS: String(logoutTimeoutMs) }),
    ...(refreshWaitMs === undefined ? {} : { KEYCLOAK_REFRESH_WAIT_MS: String(refreshWaitMs) }),
    ...(federatedLogout === undefined ? {} : { KEYCLOAK_FEDERATED_LOGOUT: String(federatedLogout) }),
    ...(reauthMaxAgeS === undefined ? {} : { KEYCLOAK_REAUTH_MAX_AGE_S: String(reauthMaxAgeS) }),
    SESSION_COOKIE_CACHE_ENTRIES: cookieCacheEntries === undefined ? "" : String(cookieCacheEntries),
  };
}

/**
 * `next build` into `distDir` (NEXT_DIST_DIR; `.next` by default). Resolves with the time it took; rejects
 * with the end of the build's output (type errors included). `appDir`: another checkout of the app to build (e.g. an
 * older commit, for the chaos check); this repository by default.
 * @param {{ distDir?: string, appDir?: string }} [options]
 * @returns {Promise<{ ms: number }>}
 */
export async function buildApp({ distDir, appDir = ROOT } = {}) {
  const started = Date.now();
  const build = startChild("next build", process.execPath, [nextBinOf(appDir), "build"], {
    cwd: appDir,
    env: distDir ? { NEXT_DIST_DIR: distDir } : {},
  });
  const { code, signal } = await build.exited;
  if (code !== 0) throw new Error(`next build failed (${code ?? signal}):\n${tail(build.output(), 60)}`);
  return { ms: Date.now() - started };
}

/**
 * Starts the app on `url`'s port and resolves once GET /api/health answers. "start" serves the build in
 * `distDir` in production mode; "dev" runs `next dev`. `appDir`: the checkout to run (see buildApp).
 * @param {{
 *   url: string,
 *   env: Record<string, string>,
 *   mode?: "start" | "dev",
 *   distDir?: string,
 *   appDir?: string,
 *   logFile?: string,
 *   timeoutMs?: number,
 * }} options
 * @returns {Promise<AppServer>}
 */
export async function startApp({ url, env, mode = "start", distDir, appDir = ROOT, logFile, timeoutMs = mode === "dev" ? 90_000 : 30_000 }) {
  const port = new URL(url).port;
  const app = startChild(`app ${url}`, process.execPath, [nextBinOf(appDir), mode, "-p", port], {
    cwd: appDir,
    env: {
      ...env,
      ...(distDir ? { NEXT_DIST_DIR: distDir } : {}),
      NODE_ENV: mode === "start" ? "production" : "development",
    },
    logFile,
  });
  await waitForHttp(`${url}/api/health`, app, timeoutMs);
  return { ...app, url };
}
