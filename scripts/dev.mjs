// @ts-check
// `npm run dev`: makes sure there is a configuration, a free port and an identity provider, then runs `next dev`.
// - No .env.local, no .env and no NEXTAUTH_URL in the environment: copies .env.example to .env.local (its values fit
//   the built-in provider).
// - The configuration is checked with the app's own schema (lib/config/env.ts) before anything starts.
// - The app listens on NEXTAUTH_URL's port; `-p`/`--port`/PORT moves NEXTAUTH_URL with it. A taken port stops here,
//   naming what holds it.
// - KEYCLOAK_ISSUER answers discovery: that Keycloak is used as it is. A server answers without that realm: stop.
// - It points at localhost and nothing answers: the built-in identity provider (idp/) is started there, if it
//   serves the realm the issuer names.
// - `next dev` listens on 127.0.0.1 unless -H/--hostname or DEV_HOST says otherwise.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { NEXT_BIN } from "../testing/appServer.mjs";
import { startIdp } from "../testing/idpServer.mjs";
import { REALM_NAME } from "../testing/users.mjs";
import { importTypeScript } from "./importTypeScript.mjs";
import { probeIssuer, realmOf } from "./issuerProbe.mjs";
import { portHolder } from "./portHolder.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** @param {string} message */
function refuse(message) {
  console.error(`dev: ${message}`);
  process.exit(1);
}

if (!existsSync(`${root}.env.local`) && !existsSync(`${root}.env`) && !process.env.NEXTAUTH_URL) {
  copyFileSync(`${root}.env.example`, `${root}.env.local`);
  console.log("dev: created .env.local from .env.example");
}
nextEnv.loadEnvConfig(root, true, { info() {}, error: console.error });

/**
 * The port asked for on the command line (-p 3001, --port 3001, --port=3001) or in PORT, and the other arguments.
 * @param {string[]} args
 */
function splitPort(args) {
  /** @type {string | undefined} */
  let port = process.env.PORT || undefined;
  const rest = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "-p" || arg === "--port") port = args[(i += 1)];
    else if (arg.startsWith("--port=")) port = arg.slice("--port=".length);
    else rest.push(arg);
  }
  return { port, rest };
}

const { port: askedPort, rest: args } = splitPort(process.argv.slice(2));
if (askedPort !== undefined && !/^\d+$/.test(askedPort)) refuse(`-p/--port/PORT must be a port number, got "${askedPort}"`);

// The app must listen where NEXTAUTH_URL says, or Keycloak sends the browser back to another program.
/** @type {URL | undefined} */
let appUrl;
try {
  appUrl = new URL(process.env.NEXTAUTH_URL ?? "");
} catch {
  // reported by the schema below
}
if (appUrl && askedPort !== undefined && askedPort !== (appUrl.port || defaultPort(appUrl))) {
  appUrl.port = askedPort;
  process.env.NEXTAUTH_URL = appUrl.origin;
  console.log(`dev: NEXTAUTH_URL follows the port asked for: ${appUrl.origin}`);
}

const { parseEnv, EnvError } = await importTypeScript("lib/config/env.ts");
try {
  parseEnv({ ...process.env, NODE_ENV: "development" });
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  // The app's own start-up message, before `next dev` could say "Ready".
  refuse(`[auth] ERROR ENV_INVALID ${error.message}`);
}
const origin = /** @type {URL} */ (appUrl).origin;
const port = Number(/** @type {URL} */ (appUrl).port || defaultPort(/** @type {URL} */ (appUrl)));
const issuer = /** @type {string} */ (process.env.KEYCLOAK_ISSUER).replace(/\/+$/, "");
const realm = realmOf(issuer);

/** @param {URL} url */
function defaultPort(url) {
  return url.protocol === "https:" ? "443" : "80";
}

// Loopback only, so Next's dev-only endpoints do not answer the LAN, unless asked: -H/--hostname or DEV_HOST.
const hostGiven = args.some((arg) => arg === "-H" || arg === "--hostname" || arg.startsWith("--hostname="));
const host = process.env.DEV_HOST || "127.0.0.1";
const hostArgs = hostGiven ? [] : ["-H", host];

const occupied = await portHolder(port, host);
if (occupied.taken) {
  refuse(
    `port ${port} of NEXTAUTH_URL (${origin}) is taken by ${occupied.holder}.\n` +
      `  Either stop that program, or run the app on another port: npm run dev -- -p ${port + 1}\n` +
      `  (NEXTAUTH_URL follows -p; a real Keycloak must allow the new URL too: NEXTAUTH_URL=http://localhost:${port + 1} npm run keycloak)`,
  );
}

let idp;
const answer = await probeIssuer(issuer);
if (answer.kind === "ok") {
  console.log(`dev: using the identity provider at ${issuer}`);
  if (askedPort !== undefined) console.log(`dev: that provider's client must allow ${origin}/api/auth/callback/keycloak as a redirect URI`);
} else if (answer.kind === "no-realm") {
  refuse(
    `${new URL(issuer).origin} answers, but not as realm "${realm}" (HTTP ${answer.status}${answer.detail ? `: ${answer.detail}` : ""}).\n` +
      `  Check the realm in KEYCLOAK_ISSUER (${issuer}); this repository's realm is "${REALM_NAME}" (keycloak/realm-nextjs.json),\n` +
      "  or import that realm there (npm run keycloak does).",
  );
} else if (["localhost", "127.0.0.1"].includes(new URL(issuer).hostname)) {
  if (realm !== REALM_NAME) {
    refuse(
      `KEYCLOAK_ISSUER names realm "${realm}" (${issuer}), but the built-in identity provider serves "${REALM_NAME}" (keycloak/realm-nextjs.json).\n` +
        `  Set KEYCLOAK_ISSUER=${new URL(issuer).origin}/realms/${REALM_NAME}, or start a Keycloak that has realm "${realm}".`,
    );
  }
  console.log(`dev: nothing answers at ${issuer}; starting the built-in identity provider`);
  try {
    // It redirects to and sends back-channel logout to this app, wherever NEXTAUTH_URL says it runs.
    idp = await startIdp({ port: Number(new URL(issuer).port || 80), appUrl: origin, echo: true });
  } catch (error) {
    refuse(`the built-in identity provider did not start: ${error instanceof Error ? error.message : error}`);
  }
} else {
  refuse(`${issuer} does not answer discovery (${answer.reason}). Start that Keycloak, or point KEYCLOAK_ISSUER at localhost.`);
}

// `next dev` keeps the terminal (colours, its own Ctrl-C handling); the provider stops when it does.
const next = spawn(process.execPath, [NEXT_BIN, "dev", ...hostArgs, "-p", String(port), ...args], {
  stdio: "inherit",
  env: { ...process.env, NEXTAUTH_URL: origin },
});
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => next.kill(signal));
next.on("exit", async (code) => {
  await idp?.stop();
  process.exit(code ?? 0);
});
