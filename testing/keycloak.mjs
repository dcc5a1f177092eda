// @ts-check
// A real Keycloak without Docker: the server distribution from Maven, cached in .keycloak/, started with
// `kc.sh start-dev --import-realm` on a fresh data directory each time. Used by `npm run keycloak`, the
// Keycloak tier of the end-to-end suite and anything else that needs the real server.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, installCleanup, startChild, tail, waitForHttp } from "./process.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KEYCLOAK_DIR = path.join(REPO_ROOT, "keycloak");
const REALM_FILE = path.join(KEYCLOAK_DIR, "realm-nextjs.json");
/** Git-ignored; holds the Maven zips and their unpacked distributions. */
export const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, ".keycloak");
const MIN_JAVA = 17;
/** First start of a version includes Keycloak's build step (about 40 s here); later ones about 15 s. */
const START_TIMEOUT_MS = 180_000;
const MAVEN_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy";

/**
 * The environment variables the realm file's `${VAR:default}` placeholders read (see keycloak/README.md).
 * @param {{ appUrl: string, backchannelUrl?: string }} urls
 * @returns {Record<string, string>}
 */
export function realmEnv({ appUrl, backchannelUrl }) {
  const app = checkedUrl("appUrl", appUrl).replace(/\/+$/, "");
  return {
    NEXTJS_APP_URL: app,
    NEXTJS_BACKCHANNEL_LOGOUT_URL: backchannelUrl ? checkedUrl("backchannelUrl", backchannelUrl) : `${app}/api/auth/backchannel-logout`,
  };
}

/**
 * The pinned Keycloak version (the newest 26.x we test) and the oldest 26.x line we support.
 * @returns {{ pinned: string, oldest: string }}
 */
export function keycloakVersions() {
  const { pinned, oldest } = JSON.parse(readFileSync(path.join(KEYCLOAK_DIR, "version.json"), "utf8"));
  return { pinned, oldest };
}

/**
 * Path of an unpacked Keycloak server distribution, fetched with Maven and unpacked once into `cacheDir`.
 * @param {string} version e.g. "26.7.5"
 * `onStep` is told each step's duration (and the download's size); `onDownload` the bytes Maven has so far, every 2 s.
 * @param {{ cacheDir?: string, onStep?: (step: "download" | "unpack", ms: number, bytes?: number) => void,
 *   onDownload?: (bytes: number) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureKeycloakDistribution(version, { cacheDir = DEFAULT_CACHE_DIR, onStep, onDownload } = {}) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`Keycloak version must look like 26.7.5, got "${version}"`);
  const home = path.join(cacheDir, "dist", `keycloak-${version}`);
  if (existsSync(path.join(home, "bin", "kc.sh"))) return home;

  const zipDir = path.join(cacheDir, "zips");
  const zip = path.join(zipDir, `keycloak-quarkus-dist-${version}.zip`);
  if (!existsSync(zip)) {
    requireCommand("mvn", "Maven is missing: apt-get install -y maven (or run Keycloak with `docker compose up`)");
    const started = Date.now();
    // A private output folder, then a rename: two runs fetching at once never see half a zip.
    const partial = mkdtempSync(path.join(ensureDir(zipDir), `.fetch-${version}-`));
    const progress = onDownload && setInterval(() => onDownload(bytesInMavenRepository(version)), 2000);
    try {
      const artifact = `org.keycloak:keycloak-quarkus-dist:${version}:zip`;
      const missing = `Keycloak ${version} is not published as ${artifact}: check KEYCLOAK_VERSION or keycloak/version.json`;
      await run("mvn", ["-q", "-B", "-Dstyle.color=never", MAVEN_PLUGIN, `-Dartifact=${artifact}`, `-DoutputDirectory=${partial}`], `fetching Keycloak ${version} from Maven`, {
        "Could not find artifact": missing,
        "was not found in": missing,
      });
      renameSync(path.join(partial, path.basename(zip)), zip);
    } finally {
      if (progress) clearInterval(progress);
      rmSync(partial, { recursive: true, force: true });
    }
    onStep?.("download", Date.now() - started, statSync(zip).size);
  }

  requireCommand("unzip", "unzip is missing: apt-get install -y unzip");
  const started = Date.now();
  const partial = mkdtempSync(path.join(ensureDir(path.join(cacheDir, "dist")), `.unpack-${version}-`));
  try {
    await run("unzip", ["-q", zip, "-d", partial], `unpacking ${zip}`);
    try {
      renameSync(path.join(partial, `keycloak-${version}`), home);
    } catch (error) {
      // Another run unpacked the same version meanwhile: use theirs.
      if (!existsSync(path.join(home, "bin", "kc.sh"))) throw error;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  onStep?.("unpack", Date.now() - started);
  return home;
}

/**
 * Bytes of the distribution Maven has written so far into its local repository (the default ~/.m2/repository; a
 * download in progress is a temporary file beside the final one).
 * @param {string} version
 */
function bytesInMavenRepository(version) {
  const dir = path.join(os.homedir(), ".m2", "repository", "org", "keycloak", "keycloak-quarkus-dist", version);
  try {
    return Math.max(0, ...readdirSync(dir).map((name) => statSync(path.join(dir, name)).size));
  } catch {
    return 0;
  }
}

/**
 * The JDK to run Keycloak with: JAVA_HOME if set (checked), else the newest JDK >= 17 in `jvmDir`, else `java`
 * on PATH if it is 17 or newer. Throws one line saying what to install.
 * @param {{ env?: Record<string, string | undefined>, jvmDir?: string, pathJava?: () => { home: string, major: number } | undefined }} [options]
 * @returns {{ javaHome: string, major: number, source: "JAVA_HOME" | "jvmDir" | "PATH" }}
 */
export function findJava({ env = process.env, jvmDir = "/usr/lib/jvm", pathJava = javaOnPath } = {}) {
  if (env.JAVA_HOME) {
    const major = jdkMajor(env.JAVA_HOME);
    if (major === undefined) throw new Error(`JAVA_HOME=${env.JAVA_HOME} has no bin/java: point it at a JDK ${MIN_JAVA}+ or unset it`);
    if (major < MIN_JAVA) throw new Error(`JAVA_HOME=${env.JAVA_HOME} is Java ${major}; Keycloak 26 needs ${MIN_JAVA}+: point it at a newer JDK or unset it`);
    return { javaHome: env.JAVA_HOME, major, source: "JAVA_HOME" };
  }
  const found = listJdks(jvmDir).filter((jdk) => jdk.major >= MIN_JAVA).sort((a, b) => b.major - a.major)[0];
  if (found) return { ...found, source: "jvmDir" };
  const onPath = pathJava();
  if (onPath && onPath.major >= MIN_JAVA) return { javaHome: onPath.home, major: onPath.major, source: "PATH" };
  throw new Error(`no Java ${MIN_JAVA}+ found (JAVA_HOME, ${jvmDir}, PATH): apt-get install -y openjdk-17-jdk-headless (or run Keycloak with \`docker compose up\`)`);
}

/**
 * Starts Keycloak with the repo's realm on a fresh data directory; resolves once the realm's discovery answers.
 * @param {{ version?: string, port?: number, appUrl?: string, backchannelUrl?: string, adminUsername?: string,
 *   adminPassword?: string, hostname?: string, cacheDir?: string, timeoutMs?: number }} [options]
 *   `hostname`: a full URL passed to `--hostname` (e.g. a proxy in front); the issuer then uses it.
 */
export async function startKeycloak({
  version = keycloakVersions().pinned,
  port = 8080,
  appUrl = "http://localhost:3000",
  backchannelUrl,
  adminUsername = "admin",
  adminPassword = "admin",
  hostname,
  cacheDir = DEFAULT_CACHE_DIR,
  timeoutMs = START_TIMEOUT_MS,
} = {}) {
  const env = realmEnv({ appUrl, backchannelUrl });
  const publicOrigin = hostname ? checkedUrl("hostname", hostname).replace(/\/+$/, "") : `http://localhost:${port}`;
  const realmName = JSON.parse(readFileSync(REALM_FILE, "utf8")).realm;
  const issuer = `${publicOrigin}/realms/${realmName}`;
  await assertFree(port);
  const distribution = await ensureKeycloakDistribution(version, { cacheDir });
  const java = findJava();
  const home = freshHome(distribution);
  // The management interface (health, metrics) is off in start-dev by default; a free port keeps two apart if it is on.
  const managementPort = await freePort();

  installCleanup();
  const started = Date.now();
  const handle = startChild("keycloak", path.join(home, "bin", "kc.sh"), [
    "start-dev",
    "--import-realm",
    `--http-port=${port}`,
    `--http-management-port=${managementPort}`,
    ...(hostname ? [`--hostname=${publicOrigin}`] : []),
  ], {
    cwd: home,
    env: { ...env, JAVA_HOME: java.javaHome, KC_BOOTSTRAP_ADMIN_USERNAME: adminUsername, KC_BOOTSTRAP_ADMIN_PASSWORD: adminPassword },
  });
  const stop = async () => {
    await handle.stop();
    rmSync(home, { recursive: true, force: true });
  };
  try {
    // Polled on 127.0.0.1, so without --hostname Keycloak names that host in its answer.
    const discovery = `http://127.0.0.1:${port}/realms/${realmName}/.well-known/openid-configuration`;
    await waitForHttp(discovery, handle, timeoutMs);
    const announced = (await (await fetch(discovery)).json()).issuer;
    const expected = hostname ? issuer : `http://127.0.0.1:${port}/realms/${realmName}`;
    if (announced !== expected) throw new Error(`Keycloak announces issuer ${announced}, expected ${expected}`);
    keepDevBuild(distribution, home);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    version,
    issuer,
    origin: publicOrigin,
    port,
    /** Process group of kc.sh and its JVM (for groupCpuMs in testing/process.mjs). */
    pid: handle.child.pid,
    adminConsole: `${publicOrigin}/admin/master/console/`,
    adminUsername,
    adminPassword,
    javaMajor: java.major,
    startedInMs: Date.now() - started,
    /** Everything Keycloak printed so far. */
    output: () => handle.output(),
    /** Resolves when the Keycloak process has exited, for whatever reason. */
    exited: /** @type {Promise<{ code: number | null, signal: string | null }>} */ (handle.exited),
    /** SIGTERM to Keycloak's process group, SIGKILL after 5 s; then removes its data directory. */
    stop,
  };
}

/**
 * A per-start Keycloak home: the distribution's jars, themes, providers and conf linked, bin/ copied (kc.sh takes
 * its home from its own real path), lib/quarkus copied (start-dev rewrites it with its build step, so it is never
 * shared) and an empty data/ with the realm file in data/import. Keycloak imports a realm only if it does not exist
 * yet, so each start gets a clean one.
 * @param {string} distribution
 */
function freshHome(distribution) {
  const home = mkdtempSync(path.join(os.tmpdir(), "keycloak-"));
  for (const entry of ["themes", "providers", "conf"]) symlinkSync(path.join(distribution, entry), path.join(home, entry));
  cpSync(path.join(distribution, "bin"), path.join(home, "bin"), { recursive: true });
  mkdirSync(path.join(home, "lib"));
  for (const entry of ["app", "lib"]) symlinkSync(path.join(distribution, "lib", entry), path.join(home, "lib", entry));
  copyFileSync(path.join(distribution, "lib", "quarkus-run.jar"), path.join(home, "lib", "quarkus-run.jar"));
  const devBuild = path.join(distribution, DEV_BUILD);
  cpSync(existsSync(devBuild) ? devBuild : path.join(distribution, "lib", "quarkus"), path.join(home, "lib", "quarkus"), { recursive: true });
  mkdirSync(path.join(home, "data", "import"), { recursive: true });
  copyFileSync(REALM_FILE, path.join(home, "data", "import", path.basename(REALM_FILE)));
  return home;
}

/** Where the first start's build output is kept, so later starts skip the build step (about 30 s). */
const DEV_BUILD = "lib-quarkus-start-dev";

/**
 * Keeps the build a successful start made, once per distribution (a rename: concurrent starts never clash).
 * @param {string} distribution
 * @param {string} home
 */
function keepDevBuild(distribution, home) {
  const target = path.join(distribution, DEV_BUILD);
  if (existsSync(target)) return;
  const partial = mkdtempSync(path.join(distribution, `.${DEV_BUILD}-`));
  try {
    cpSync(path.join(home, "lib", "quarkus"), path.join(partial, "quarkus"), { recursive: true });
    renameSync(path.join(partial, "quarkus"), target);
  } catch {
    // another start kept its build first
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

/**
 * JDKs under `jvmDir` (each once, symlinked aliases dropped), with the major version from their `release` file.
 * @param {string} jvmDir
 * @returns {{ javaHome: string, major: number }[]}
 */
export function listJdks(jvmDir) {
  let entries;
  try {
    entries = readdirSync(jvmDir);
  } catch {
    return [];
  }
  const seen = new Map();
  for (const entry of entries) {
    const dir = path.join(jvmDir, entry);
    const major = jdkMajor(dir);
    if (major === undefined) continue;
    const real = realpathSync(dir);
    if (!seen.has(real)) seen.set(real, { javaHome: dir, major });
  }
  return [...seen.values()];
}

/**
 * The major version of the JDK in `home` (from its `release` file, else `bin/java -version`); undefined if none.
 * @param {string} home
 * @returns {number | undefined}
 */
function jdkMajor(home) {
  if (!existsSync(path.join(home, "bin", "java"))) return undefined;
  try {
    const release = readFileSync(path.join(home, "release"), "utf8");
    const version = /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
    if (version) return parseMajor(version);
  } catch {
    // no release file: ask the binary
  }
  const result = spawnSync(path.join(home, "bin", "java"), ["-version"], { encoding: "utf8" });
  const version = /version "([^"]+)"/.exec(result.stderr ?? "")?.[1];
  return version ? parseMajor(version) : undefined;
}

/**
 * "17.0.15" → 17, "25" → 25, "1.8.0_402" → 8.
 * @param {string} version
 */
export function parseMajor(version) {
  const [first, second] = version.split(/[._+-]/).map(Number);
  return first === 1 ? second : first;
}

/** @returns {{ home: string, major: number } | undefined} */
function javaOnPath() {
  const java = which("java");
  if (!java) return undefined;
  const home = path.dirname(path.dirname(realpathSync(java)));
  const major = jdkMajor(home);
  return major === undefined ? undefined : { home, major };
}

/** @param {string} command */
function which(command) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/**
 * @param {string} command
 * @param {string} message one line saying what to install
 */
function requireCommand(command, message) {
  if (!which(command)) throw new Error(message);
}

/**
 * Runs a short command to its end; throws with its output's tail when it fails, or with one line for a known cause.
 * @param {string} command
 * @param {string[]} args
 * @param {string} what for the error message
 * @param {Record<string, string>} [known] output substring → the message to throw instead
 */
async function run(command, args, what, known = {}) {
  const handle = startChild(command, command, args);
  const { code, signal } = /** @type {{ code: number | null, signal: string | null }} */ (await handle.exited);
  if (code === 0) return;
  const cause = Object.entries(known).find(([needle]) => handle.output().includes(needle));
  throw new Error(cause ? cause[1] : `${what} failed (${code ?? signal}):\n${tail(handle.output())}`);
}

/** @param {string} dir */
function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * @param {string} name
 * @param {string} value
 */
function checkedUrl(name, value) {
  let protocol;
  try {
    protocol = new URL(value).protocol;
  } catch {
    // reported below
  }
  if (protocol !== "http:" && protocol !== "https:") throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  return value;
}

/** @param {number} port */
async function assertFree(port) {
  await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", () => reject(new Error(`port ${port} is in use: stop what listens there, or choose another port (KEYCLOAK_PORT)`)));
    server.listen(port, () => server.close(resolve));
  });
}
