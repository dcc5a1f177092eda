// @ts-check
// Starts the built-in identity provider (idp/server.mjs) for jest, Playwright, the benchmark and the dev
// script, and waits for its ready line.
import { fileURLToPath } from "node:url";
import { freePort, startChild } from "./process.mjs";

const SERVER = fileURLToPath(new URL("../idp/server.mjs", import.meta.url));
/** The provider's variable for the app's origin (it rewrites the realm's redirect and back-channel URLs). */
const APP_URL_VARIABLE = "IDP_APP_URL";

/**
 * A running provider: the child's handle plus where it answers.
 * @typedef {import("./process.mjs").ChildHandle & { issuer: string, origin: string, port: number }} IdpServer
 */

/**
 * Starts `node idp/server.mjs` and resolves once it prints "idp: ready at <issuer>".
 * @param {{
 *   port?: number,
 *   appUrl?: string,
 *   env?: Record<string, string>,
 *   echo?: boolean,
 *   timeoutMs?: number,
 * }} [options]
 *   `port`: a free one by default. `appUrl`: the app's origin, for the client's redirect, post-logout and
 *   back-channel URLs (the realm's is http://localhost:3000). `env`: further IDP_* variables (idp/README.md),
 *   e.g. { IDP_ACCESS_TOKEN_TTL_S: "15" }. `echo`: copy its log to this process's output.
 * @returns {Promise<IdpServer>}
 */
export async function startIdp({ port, appUrl, env = {}, echo = false, timeoutMs = 15_000 } = {}) {
  const listenPort = port ?? (await freePort());
  const handle = startChild(`identity provider :${listenPort}`, process.execPath, [SERVER], {
    env: { ...env, ...(appUrl ? { [APP_URL_VARIABLE]: appUrl } : {}), IDP_PORT: String(listenPort) },
    echo,
  });
  await handle.waitFor(/idp: ready at \S+/, timeoutMs);
  const issuer = /idp: ready at (\S+)/.exec(handle.output())?.[1] ?? "";
  return { ...handle, issuer, origin: new URL(issuer).origin, port: listenPort };
}
