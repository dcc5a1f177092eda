// @ts-check
// `npm run keycloak`: a real Keycloak without Docker, with the repo's realm, for `npm run dev` (see README).
// KEYCLOAK_PORT (8080), KEYCLOAK_VERSION (keycloak/version.json), KC_BOOTSTRAP_ADMIN_USERNAME/_PASSWORD
// (admin/admin) and NEXTAUTH_URL (http://localhost:3000, from .env.local or .env too).
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { ensureKeycloakDistribution, findJava, keycloakVersions, startKeycloak } from "../testing/keycloak.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
nextEnv.loadEnvConfig(root, true, { info() {}, error: console.error });

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function readPort() {
  const raw = process.env.KEYCLOAK_PORT || "8080";
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new Error(`KEYCLOAK_PORT must be a port number, got "${raw}"`);
  return port;
}

async function main() {
  const port = readPort();
  const version = process.env.KEYCLOAK_VERSION || keycloakVersions().pinned;
  const appUrl = process.env.NEXTAUTH_URL || "http://localhost:3000";
  const java = findJava();
  console.log(`keycloak: Keycloak ${version} on Java ${java.major} (${java.javaHome}), realm URLs at ${appUrl}`);

  /** @type {string[]} */
  const steps = [];
  await ensureKeycloakDistribution(version, {
    onStep: (step, ms) => {
      steps.push(`${step} ${seconds(ms)}`);
      console.log(`keycloak: ${step === "download" ? "downloaded" : "unpacked"} in ${seconds(ms)}`);
    },
  });
  console.log(`keycloak: starting on port ${port} (a first start of a version includes Keycloak's build step)`);
  const keycloak = await startKeycloak({
    version,
    port,
    appUrl,
    adminUsername: process.env.KC_BOOTSTRAP_ADMIN_USERNAME || "admin",
    adminPassword: process.env.KC_BOOTSTRAP_ADMIN_PASSWORD || "admin",
  });
  steps.push(`start ${seconds(keycloak.startedInMs)}`);

  console.log(`keycloak: ready in ${steps.join(", ")}`);
  console.log(`keycloak: issuer        ${keycloak.issuer}`);
  console.log(`keycloak: admin console ${keycloak.adminConsole} (user ${keycloak.adminUsername}, password from KC_BOOTSTRAP_ADMIN_PASSWORD, default admin)`);
  const issuer = process.env.KEYCLOAK_ISSUER?.replace(/\/+$/, "");
  if (issuer && issuer !== keycloak.issuer) console.log(`keycloak: note: KEYCLOAK_ISSUER is ${issuer}; the app needs ${keycloak.issuer}`);
  console.log("keycloak: Ctrl-C stops it (the realm starts fresh next time)");

  let stopping = false;
  keycloak.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`keycloak: Keycloak exited on its own (${code ?? signal}):\n${keycloak.output().split("\n").slice(-30).join("\n")}`);
    process.exit(1);
  });
  // testing/process.mjs's handlers end the process at once; here Keycloak gets its time to shut down.
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
    process.removeAllListeners(signal);
    process.once(signal, async () => {
      stopping = true;
      console.log(`\nkeycloak: ${signal}, stopping`);
      const started = Date.now();
      await keycloak.stop();
      console.log(`keycloak: stopped in ${seconds(Date.now() - started)}`);
      process.exit(0);
    });
  }
}

main().catch((error) => {
  console.error(`keycloak: ${error.message}`);
  process.exit(1);
});
