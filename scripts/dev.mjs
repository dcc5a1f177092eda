// @ts-check
// `npm run dev`: makes sure there is a configuration and an identity provider, then runs `next dev`.
// - No .env.local and no .env: copies .env.example to .env.local (its values fit the built-in provider).
// - KEYCLOAK_ISSUER answers discovery: that Keycloak is used as it is.
// - It points at localhost and nothing answers: the built-in identity provider (idp/) is started there.
// - `next dev` listens on 127.0.0.1 unless -H/--hostname or DEV_HOST says otherwise.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { NEXT_BIN } from "../testing/appServer.mjs";
import { startIdp } from "../testing/idpServer.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

if (!existsSync(`${root}.env.local`) && !existsSync(`${root}.env`)) {
  copyFileSync(`${root}.env.example`, `${root}.env.local`);
  console.log("dev: created .env.local from .env.example");
}
nextEnv.loadEnvConfig(root, true, { info() {}, error: console.error });

const issuer = process.env.KEYCLOAK_ISSUER?.replace(/\/+$/, "");
if (!issuer) {
  console.error("dev: KEYCLOAK_ISSUER is missing. Set it in .env.local (see .env.example).");
  process.exit(1);
}

/** @param {string} url */
async function answersDiscovery(url) {
  try {
    const response = await fetch(`${url}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(1500) });
    return response.ok;
  } catch {
    return false;
  }
}

let idp;
if (await answersDiscovery(issuer)) {
  console.log(`dev: using the identity provider at ${issuer}`);
} else if (["localhost", "127.0.0.1"].includes(new URL(issuer).hostname)) {
  console.log(`dev: nothing answers at ${issuer}; starting the built-in identity provider`);
  try {
    // It sends back-channel logout to this app, wherever NEXTAUTH_URL says it runs.
    idp = await startIdp({ port: Number(new URL(issuer).port || 80), appUrl: process.env.NEXTAUTH_URL, echo: true });
  } catch (error) {
    console.error(`dev: the built-in identity provider did not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
} else {
  console.error(`dev: ${issuer} does not answer discovery. Start that Keycloak, or point KEYCLOAK_ISSUER at localhost.`);
  process.exit(1);
}

// `next dev` keeps the terminal (colours, its own Ctrl-C handling); the provider stops when it does.
// Loopback only, so Next's dev-only endpoints do not answer the LAN, unless asked: -H/--hostname or DEV_HOST.
const args = process.argv.slice(2);
const hostGiven = args.some((arg) => arg === "-H" || arg === "--hostname" || arg.startsWith("--hostname="));
const hostArgs = hostGiven ? [] : ["-H", process.env.DEV_HOST || "127.0.0.1"];
const next = spawn(process.execPath, [NEXT_BIN, "dev", ...hostArgs, ...args], { stdio: "inherit" });
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => next.kill(signal));
next.on("exit", async (code) => {
  await idp?.stop();
  process.exit(code ?? 0);
});
