// @ts-check
// `npm run keycloak`: a real Keycloak without Docker, with the repo's realm, for `npm run dev` (see README).
// KEYCLOAK_PORT (8080), KEYCLOAK_VERSION (keycloak/version.json), KC_BOOTSTRAP_ADMIN_USERNAME/_PASSWORD
// (admin/admin) and NEXTAUTH_URL (http://localhost:3000, from .env.local or .env too).
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { ensureKeycloakDistribution, findJava, keycloakVersions, startKeycloak } from "../testing/keycloak.mjs";
import { REALM_NAME } from "../testing/users.mjs";
import { portOccupant } from "./portOccupant.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
nextEnv.loadEnvConfig(root, true, { info() {}, error: console.error });

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** @param {number} bytes */
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;

/**
 * A line that says how long a step has been running, every 5 s: rewritten in place on a terminal, appended in a log.
 * @param {string} what e.g. "starting Keycloak"
 * @param {string} [hint] shown after the time
 */
function elapsedLine(what, hint = "") {
  const started = Date.now();
  const tty = process.stdout.isTTY;
  const timer = setInterval(() => {
    const line = `keycloak: ${what}… ${Math.round((Date.now() - started) / 1000)} s${hint ? ` (${hint})` : ""}`;
    if (tty) process.stdout.write(`\r${line}`);
    else console.log(line);
  }, 5000);
  return () => {
    clearInterval(timer);
    if (tty) process.stdout.write("\r\x1b[K");
  };
}

/**
 * Stops here, saying what holds the port and what to do, when something already listens where Keycloak would.
 * @param {number} port
 */
async function refuseTakenPort(port) {
  const occupant = await portOccupant(port, REALM_NAME);
  const elsewhere = `or start this one on another port: KEYCLOAK_PORT=${port + 1} npm run keycloak (and set KEYCLOAK_ISSUER to match)`;
  switch (occupant.kind) {
    case "free":
      return;
    case "keycloak":
      throw new Error(
        occupant.hasRealm
          ? `a Keycloak with realm "${REALM_NAME}" already answers on port ${port}: use it (npm run dev), stop it, ${elsewhere}`
          : `a Keycloak already answers on port ${port}, without realm "${REALM_NAME}": import keycloak/realm-nextjs.json there, stop it, ${elsewhere}`,
      );
    case "built-in":
      throw new Error(
        `the built-in identity provider answers on port ${port} (npm run dev starts it when nothing answers at KEYCLOAK_ISSUER): ` +
          `stop npm run dev first, then start Keycloak and npm run dev again, ${elsewhere}`,
      );
    default:
      throw new Error(`port ${port} is taken by ${occupant.holder}: stop it, ${elsewhere}`);
  }
}

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
  await refuseTakenPort(port);
  console.log(`keycloak: Keycloak ${version} on Java ${java.major} (${java.javaHome}), realm URLs at ${appUrl}`);

  /** @type {string[]} */
  const steps = [];
  let announced = false;
  await ensureKeycloakDistribution(version, {
    onDownload: (bytes) => {
      if (!announced) console.log(`keycloak: downloading Keycloak ${version} with Maven (about 175 MB, once; cached in .keycloak/)`);
      announced = true;
      console.log(`keycloak: downloaded ${megabytes(bytes)} so far`);
    },
    onStep: (step, ms, bytes) => {
      steps.push(`${step} ${seconds(ms)}`);
      console.log(`keycloak: ${step === "download" ? `downloaded ${bytes ? megabytes(bytes) : ""}` : "unpacked"} in ${seconds(ms)}`);
    },
  });
  console.log(`keycloak: starting on port ${port}`);
  const stopStartLine = elapsedLine("starting Keycloak", "a version's first start takes about 60-80 s here, later ones about 20 s");
  const keycloak = await startKeycloak({
    version,
    port,
    appUrl,
    adminUsername: process.env.KC_BOOTSTRAP_ADMIN_USERNAME || "admin",
    adminPassword: process.env.KC_BOOTSTRAP_ADMIN_PASSWORD || "admin",
  }).finally(stopStartLine);
  steps.push(`start ${seconds(keycloak.startedInMs)}`);

  console.log(`keycloak: ready in ${steps.join(", ")}`);
  console.log(`keycloak: issuer        ${keycloak.issuer}`);
  console.log(`keycloak: admin console ${keycloak.adminConsole} (user ${keycloak.adminUsername}, password from KC_BOOTSTRAP_ADMIN_PASSWORD, default admin)`);
  const issuer = process.env.KEYCLOAK_ISSUER?.replace(/\/+$/, "");
  if (issuer && issuer !== keycloak.issuer) console.log(`keycloak: note: KEYCLOAK_ISSUER is ${issuer}; the app needs ${keycloak.issuer}`);
  console.log(`keycloak: ready: now run \`npm run dev\` in another terminal and open ${appUrl} (admin console ${keycloak.adminConsole})`);
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
