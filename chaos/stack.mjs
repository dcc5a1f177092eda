// @ts-check
// The system under test, started from the shared toolkit (testing/): a redis-server behind a TCP fault proxy, the
// built-in identity provider (or, with --keycloak, a real Keycloak behind the fault proxy), a recorder in front of
// the app's back-channel logout URL, and production instances of the app sharing Redis. Each piece can be hurt
// and healed: chaos/faults.mjs says when.
import http from "node:http";
import { Redis } from "ioredis";
import { appEnv, buildApp, startApp } from "../testing/appServer.mjs";
import { startFaultProxy } from "../testing/faultProxy.mjs";
import { idpControl } from "../testing/idpControl.mjs";
import { startIdp } from "../testing/idpServer.mjs";
import { startKeycloak } from "../testing/keycloak.mjs";
import { keycloakAdmin } from "../testing/keycloakAdmin.mjs";
import { logProblems } from "../testing/logProblems.mjs";
import { assertPortFree } from "../testing/process.mjs";
import { startRedis } from "../testing/redis.mjs";
import { hashId } from "./history.mjs";

/** Where the chaos stack listens: apart from the e2e suite (3101-3106, 8180-8181) and the Keycloak tier (3301-3303, 8380-8382). */
export const CHAOS_PORTS = {
  apps: [3401, 3402],
  redis: 8480,
  redisProxy: 8481,
  idp: 8482,
  backchannel: 8483,
  keycloak: 8484,
  keycloakProxy: 8485,
};

/** The app and provider settings of a chaos run; the checker's bounds are derived from them (chaos/check.mjs). */
export const CHAOS_SETTINGS = {
  /** The chaos build's own dist dir, so it never replaces a build another suite's servers run from. */
  distDir: ".next-chaos",
  secret: "chaos-secret-0123456789abcdef0123456789abcdef",
  logoutTimeoutMs: 1500,
  refreshWaitMs: 1500,
  /** /admin asks for the password again past this, so re-authentication happens within a run. */
  reauthMaxAgeS: 30,
  /** Access tokens live this long, so refreshes happen within a run (and a store without tokens ends sessions soon). */
  accessTokenTtlS: 60,
  realm: "nextjs",
  keycloakAdmin: { username: "admin", password: "admin" },
};

/** @typedef {"hang" | "status503" | "reset"} ProviderMode */

/**
 * Starts the whole stack. `appDir`: the checkout whose app is built and run (this repository by default; another
 * one, e.g. an older commit, to see what the run says about it). `record(entry)`: where the back-channel recorder
 * reports each delivery.
 * @param {{ appDir?: string, keycloak?: boolean, build?: boolean, history: import("./history.mjs").History, log: (line: string) => void }} options
 */
export async function startStack({ appDir, keycloak = false, build = true, history, log }) {
  const ports = CHAOS_PORTS;
  for (const port of [...ports.apps, ports.redis, ports.redisProxy, ports.idp, ports.backchannel, ports.keycloak, ports.keycloakProxy]) await assertPortFree(port);
  const publicUrl = `http://localhost:${ports.apps[0]}`;
  const backchannelUrl = `http://127.0.0.1:${ports.backchannel}/api/auth/backchannel-logout`;
  /** @type {(() => Promise<unknown>)[]} */
  const stops = [];
  /** Every server's output, kept across restarts, for the log rule (testing/logProblems.mjs). */
  /** @type {Record<string, () => string>} */
  const outputs = {};

  const building = build ? buildApp({ distDir: CHAOS_SETTINGS.distDir, appDir }) : Promise.resolve({ ms: 0 });

  let redis = await startRedis({ port: ports.redis });
  stops.push(() => redis.stop());
  const redisProxy = await startFaultProxy({ port: ports.redisProxy, targetPort: ports.redis });
  stops.push(() => redisProxy.stop());
  const direct = new Redis(`redis://127.0.0.1:${ports.redis}`, { maxRetriesPerRequest: 1, commandTimeout: 2000, lazyConnect: true });
  direct.on("error", () => {});
  stops.push(async () => direct.disconnect());

  /** @type {{ index: number, url: string, up: boolean, handle?: import("../testing/appServer.mjs").AppServer, incarnation: number }[]} */
  const apps = ports.apps.map((port, index) => ({ index, url: `http://localhost:${port}`, up: false, incarnation: 0 }));
  const recorder = await startBackchannelRecorder({ port: ports.backchannel, apps, history });
  stops.push(() => recorder.stop());

  /** @type {ProviderHandle} */
  let provider;
  let issuer;
  if (keycloak) {
    const proxy = await startFaultProxy({ port: ports.keycloakProxy, targetPort: ports.keycloak });
    stops.push(() => proxy.stop());
    const keycloakOptions = {
      port: ports.keycloak,
      appUrl: publicUrl,
      backchannelUrl,
      hostname: `http://localhost:${ports.keycloakProxy}`,
      adminUsername: CHAOS_SETTINGS.keycloakAdmin.username,
      adminPassword: CHAOS_SETTINGS.keycloakAdmin.password,
    };
    log("starting Keycloak (20-120 s)…");
    let server = await startKeycloak(keycloakOptions);
    let generation = 0;
    outputs[`keycloak#${generation}`] = server.output;
    stops.push(() => server.stop());
    const admin = keycloakAdmin({ origin: `http://127.0.0.1:${ports.keycloak}`, realm: CHAOS_SETTINGS.realm, ...CHAOS_SETTINGS.keycloakAdmin });
    const tokenLifespan = () => admin.updateRealm({ accessTokenLifespan: CHAOS_SETTINGS.accessTokenTtlS });
    await tokenLifespan();
    issuer = server.issuer;
    provider = {
      name: `Keycloak ${server.version}`,
      setFault: (mode) => proxy.setMode(mode),
      clearFaults: () => proxy.setMode("pass"),
      async restart(downMs) {
        await server.stop();
        await sleep(downMs);
        server = await startKeycloak(keycloakOptions);
        generation += 1;
        outputs[`keycloak#${generation}`] = server.output;
        await tokenLifespan();
      },
      adminLogout: (username) => admin.logoutUser(username),
      async sessions() {
        const alive = [];
        for (const username of ["alice", "admin"]) alive.push(...(await admin.sessionsOf(username)).map((s) => hashId(s.id)));
        return alive;
      },
    };
  } else {
    const idpEnv = { IDP_ACCESS_TOKEN_TTL_S: String(CHAOS_SETTINGS.accessTokenTtlS), IDP_BACKCHANNEL_LOGOUT_URL: backchannelUrl };
    let idp = await startIdp({ port: ports.idp, appUrl: publicUrl, env: idpEnv });
    let generation = 0;
    outputs[`idp#${generation}`] = idp.output;
    stops.push(() => idp.stop());
    const control = idpControl(idp.origin);
    issuer = idp.issuer;
    provider = {
      name: "built-in provider",
      setFault: (mode, endpoint = "all") => control.setFault(endpoint, mode),
      clearFaults: () => control.clearFaults(),
      async restart(downMs) {
        await idp.stop();
        await sleep(downMs);
        idp = await startIdp({ port: ports.idp, appUrl: publicUrl, env: idpEnv });
        generation += 1;
        outputs[`idp#${generation}`] = idp.output;
      },
      adminLogout: async (username) => void (await control.logoutUser(username)),
      sessions: async () => (await control.sessions()).map((s) => hashId(s.sid)),
    };
  }

  const built = await building;
  const env = appEnv({
    publicUrl,
    issuer,
    secret: CHAOS_SETTINGS.secret,
    redisUrl: `redis://127.0.0.1:${ports.redisProxy}`,
    logoutTimeoutMs: CHAOS_SETTINGS.logoutTimeoutMs,
    refreshWaitMs: CHAOS_SETTINGS.refreshWaitMs,
    reauthMaxAgeS: CHAOS_SETTINGS.reauthMaxAgeS,
  });
  /** @param {typeof apps[number]} app */
  const launch = async (app) => {
    app.handle = await startApp({ url: app.url, env, distDir: CHAOS_SETTINGS.distDir, appDir });
    outputs[`app${app.index}#${app.incarnation}`] = /** @type {NonNullable<typeof app.handle>} */ (app.handle).output;
    app.incarnation += 1;
    app.up = true;
  };
  stops.push(async () => {
    for (const app of apps) await app.handle?.stop();
  });
  await Promise.all(apps.map(launch));

  return {
    provider,
    publicUrl,
    buildMs: built.ms,
    /** The instances a load balancer would use now. */
    liveApps: () => apps.filter((app) => app.up).map(({ index, url }) => ({ index, url })),
    /** @param {string} username */
    adminLogout: (username) => provider.adminLogout(username),
    store: {
      /** @param {"pass" | "hang" | "refuse" | "reset"} mode */
      setNetwork: (mode) => redisProxy.setMode(mode),
      /** CLIENT PAUSE for every client (reads included) for `ms`. */
      pause: async (/** @type {number} */ ms) => void (await direct.call("CLIENT", "PAUSE", String(ms), "ALL")),
      unpause: async () => void (await direct.call("CLIENT", "UNPAUSE")),
      flushAll: async () => void (await direct.flushall()),
      /** Stops redis-server and starts an empty one on the same port (no persistence: everything is lost). */
      async restart(/** @type {number} */ downMs) {
        await redis.stop();
        await sleep(downMs);
        redis = await startRedis({ port: ports.redis });
      },
      /**
       * The app's queue of Keycloak logouts (README, store keys: `kcauth:logout-queue`, `kcauth:logout-pending:<id>`):
       * how many wait, and the most that wait for one Keycloak session (sid; read, never kept or printed).
       */
      async logoutQueue() {
        const ids = await direct.zrange("kcauth:logout-queue", 0, -1);
        const records = ids.length ? await direct.mget(ids.map((id) => `kcauth:logout-pending:${id}`)) : [];
        /** @type {Map<string, number>} */
        const perSid = new Map();
        for (const record of records) {
          let sid;
          try {
            sid = record ? JSON.parse(record).sid : undefined;
          } catch {
            sid = undefined;
          }
          if (typeof sid === "string") perSid.set(sid, (perSid.get(sid) ?? 0) + 1);
        }
        return { size: ids.length, mostForOneSid: Math.max(0, ...perSid.values()) };
      },
    },
    instances: {
      /** SIGKILL to instance `index` (no goodbye), and out of the load balancer. @param {number} index */
      async kill(index) {
        const app = apps[index];
        app.up = false;
        const handle = app.handle;
        if (!handle?.child.pid) return;
        try {
          process.kill(-handle.child.pid, "SIGKILL");
        } catch {
          // already gone
        }
        await handle.exited;
      },
      /** Starts instance `index` again and puts it back once /api/health answers. @param {number} index */
      restart: (index) => launch(apps[index]),
    },
    /** Every server's whole output so far, by name (written beside the history, for reading a violation). */
    outputs: () => Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output()])),
    /** Lines of any server's log that break the log rule (a token, an unhandled rejection, a render error). */
    logProblems: () => logProblems(Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output()]))),
    /** Stops everything, newest first. */
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startStack>>} Stack */

/**
 * What the chaos run asks of the identity provider, whichever it is.
 * @typedef {{
 *   name: string,
 *   setFault: (mode: ProviderMode, endpoint?: "logout" | "token" | "all") => Promise<unknown>,
 *   clearFaults: () => Promise<unknown>,
 *   restart: (downMs: number) => Promise<void>,
 *   adminLogout: (username: string) => Promise<void>,
 *   sessions: () => Promise<string[]>,
 * }} ProviderHandle
 * `sessions()`: the live provider sessions, as sid hashes (chaos/history.mjs).
 */

/**
 * The app's back-channel logout URL as the provider sees it: each delivery goes to a live instance (as a load
 * balancer would send it) and is recorded with the app's answer and the logout token's sid and sub (hashed).
 * @param {{ port: number, apps: { index: number, url: string, up: boolean }[], history: import("./history.mjs").History }} options
 */
async function startBackchannelRecorder({ port, apps, history }) {
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const claims = logoutClaims(body);
    const live = apps.filter((app) => app.up);
    const app = live[Math.floor(Math.random() * live.length)];
    const entry = history.begin({
      opId: history.nextOp(), actor: "provider", role: "provider", op: "backchannel", target: "app", method: "POST", path: "/api/auth/backchannel-logout",
      ...(app ? { instance: app.index } : {}),
      carried: { cookie: "-", ...(claims.sid ? { sid: hashId(claims.sid) } : {}), ...(claims.sub ? { sub: hashId(claims.sub) } : {}) },
    });
    if (!app) {
      history.finish(entry, { saw: "no-answer", detail: "no live instance" });
      return void res.writeHead(503).end();
    }
    try {
      const response = await fetch(`${app.url}/api/auth/backchannel-logout`, {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "application/x-www-form-urlencoded" },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      history.finish(entry, { status: response.status, saw: response.status === 200 ? "answered" : "failed" });
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" }).end(text);
    } catch (error) {
      history.finish(entry, { saw: "no-answer", detail: String(/** @type {Error} */ (error).name) });
      res.writeHead(502).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  return { stop: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}

/**
 * The sid and sub a logout token names (its payload, unverified: the app verifies it; this only labels the entry).
 * @param {string} body
 * @returns {{ sid?: string, sub?: string }}
 */
function logoutClaims(body) {
  try {
    const token = new URLSearchParams(body).get("logout_token") ?? "";
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return { sid: typeof payload.sid === "string" ? payload.sid : undefined, sub: typeof payload.sub === "string" ? payload.sub : undefined };
  } catch {
    return {};
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
