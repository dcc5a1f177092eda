// npm run bench: builds the app, starts it in production mode next to the built-in identity provider and
// redis-server, measures the figures of issue 4 side by side, prints a table and writes
// bench/results/latest.json and bench/RESULTS.md. Figures are ratios within one run (medians of BENCH_REPS).
// Goals are reported, never asserted: the exit code is non-zero only when something broke.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { appEnv, buildApp, startApp as startAppServer } from "../testing/appServer.mjs";
import { idpControl as idpControlOf } from "../testing/idpControl.mjs";
import { startIdp as startIdpServer } from "../testing/idpServer.mjs";
import { signIn, signOut } from "../testing/nextAuthClient.mjs";
import { login as oidcLogin } from "../testing/oidcClient.mjs";
import { assertPortFree, groupCpuMs, installCleanup, tail } from "../testing/process.mjs";
import { startRedis as startRedisServer } from "../testing/redis.mjs";
import { USERS } from "../testing/users.mjs";
import { endSession } from "./providerRoundTrip.mjs";
import { burst, httpRequest, median, percentile, throughput, timeRequests } from "./load.mjs";
import { machineFacts, printTable, writeResultsMarkdown } from "./report.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// A build directory of its own, so a benchmark and an e2e run (or `next dev`) in the same tree never clash.
const DIST_DIR = ".next-bench";
const num = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);

const CONFIG = {
  reps: num("BENCH_REPS", 5),
  burstReps: num("BENCH_BURST_REPS", 3),
  durationS: num("BENCH_DURATION_S", 5),
  warmupS: 2,
  connections: 20,
  signOuts: num("BENCH_SIGNOUTS", 40),
  hangSignOuts: 5,
  logoutTimeoutMs: 1500,
  refreshTtlS: 15,
  // Row 4b: a short access-token lifespan under sustained load.
  shortTtlS: 3,
  shortTtlRunS: num("BENCH_SHORT_TTL_RUN_S", 12),
  burstSizes: [20, 200],
  // Rows 1c-2d, 6b: pools of distinct signed-in sessions, each request taking the next cookie (issue 20).
  pools: (process.env.BENCH_POOLS ?? "1000,3000").split(",").map(Number).filter((n) => n > 0),
  // Row 1e: the largest pool again, on an instance that keeps this many decoded cookies (SESSION_COOKIE_CACHE_ENTRIES).
  cachedPoolEntries: num("BENCH_CACHED_POOL_ENTRIES", 4000),
  signInConcurrency: num("BENCH_SIGNIN_CONCURRENCY", 8),
  // Access tokens (and SSO idle) outlive the throughput rows, so no read there refreshes; rows 4 and 4b restart the
  // provider with short lifespans to measure refreshes.
  throughputTokenTtlS: 3600,
  ports: { apps: [3201, 3202, 3203, 3204, 3205], idp: 8280, redis: 6480 },
};
const PUBLIC_URL = `http://localhost:${CONFIG.ports.apps[0]}`;
const ISSUER = `http://localhost:${CONFIG.ports.idp}/realms/nextjs`;
const IDP_ORIGIN = `http://localhost:${CONFIG.ports.idp}`;
const APP = Object.fromEntries(["memory", "local", "redis", "redis2", "memoryCached"].map((k, i) => [k, `http://localhost:${CONFIG.ports.apps[i]}`]));
const idpControl = idpControlOf(IDP_ORIGIN);
// Only next-auth's cookie name prefix; no cookie or token value is ever printed.
const hasUser = (status, body) => status === 200 && /"user"\s*:/.test(body);

const say = (line) => console.log(`bench: ${line}`);
const round = (value, digits = 0) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- stack

async function build() {
  if (process.env.BENCH_SKIP_BUILD === "1") return say("build skipped (BENCH_SKIP_BUILD=1)");
  say("next build ...");
  const { ms } = await buildApp({ distDir: DIST_DIR });
  say(`build ok in ${(ms / 1000).toFixed(1)} s`);
}

const startIdp = (env) => startIdpServer({ port: CONFIG.ports.idp, appUrl: PUBLIC_URL, env });
const startRedis = () => startRedisServer({ port: CONFIG.ports.redis });
// Every instance sits behind one public URL, the redirect URI registered at the IdP (as in e2e/).
const startApp = (url, { redisUrl, federatedLogout = true, cookieCacheEntries } = {}) =>
  startAppServer({
    url,
    distDir: DIST_DIR,
    // BENCH_PAGES: the unguarded twin of /profile (row 2) is served only where it is set.
    env: {
      BENCH_PAGES: "true",
      ...appEnv({
      publicUrl: PUBLIC_URL,
      issuer: ISSUER,
      secret: "bench-only-secret-0123456789abcdef0123456789",
      logoutTimeoutMs: CONFIG.logoutTimeoutMs,
      federatedLogout,
      redisUrl,
      cookieCacheEntries,
      }),
    },
  });

const login = (appUrl, user) => signIn({ appUrl, publicUrl: PUBLIC_URL, user });
const logout = (session) => signOut(session);

async function expectSignedIn(appUrl, session, what) {
  const response = await fetch(`${appUrl}/api/auth/session`, { headers: { cookie: session.cookieHeader } });
  if (!hasUser(response.status, await response.text())) throw new Error(`${what}: the session is not valid on ${appUrl}`);
}

// ---------------------------------------------------------------- rows

/** Row 5: bytes of the session cookie(s) as name=value, and the number of chunks. */
function cookieFigures(session) {
  const sizes = session.cookies.map(({ name, value }) => name.length + 1 + value.length);
  return { chunks: sizes.length, totalBytes: sizes.reduce((a, b) => a + b, 0), largestBytes: Math.max(...sizes) };
}

/**
 * Signs in `count` distinct sessions of `user` on `appUrl` through the app's real sign-in over HTTP (next-auth's
 * routes and the provider's login form), `concurrency` at a time: each is its own app session (its own sessionId,
 * token state in the store) the app accepts, as a browser would hold it.
 */
function signInMany(appUrl, user, count) {
  return inTurns(Array.from({ length: count }, (_, i) => i), () => login(appUrl, user));
}

/** `fn` over `items`, CONFIG.signInConcurrency at a time; the results in the items' order. */
async function inTurns(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONFIG.signInConcurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next;
        next += 1;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/** Lines a session read logs when it did not simply confirm a session: none may appear during the pooled rows. */
const READ_TROUBLE = /SESSION_ENDED|SESSION_COOKIE_INVALID|SESSION_CHECK_UNAVAILABLE|SESSION_TOKENS_FRESH|SESSION_REFRESH|JWT_SESSION_ERROR|ERROR/g;

/** Rows 1, 2, 6: closed-loop throughput of several targets, interleaved, BENCH_REPS rounds. */
async function throughputRows(sessions, procs, pools) {
  const cookie = (s) => ({ cookie: s.cookieHeader });
  const cpuOf = (...handles) => () => handles.reduce((sum, h) => sum + groupCpuMs(h.child.pid), 0);
  const memoryCpu = cpuOf(procs.memory);
  const cachedCpu = cpuOf(procs.memoryCached);
  // With Redis, the store's own CPU is part of the cost.
  const redisCpu = cpuOf(procs.redis, procs.redisServer);
  const targets = [
    { key: "health", url: `${APP.memory}/api/health`, cpuMs: memoryCpu },
    // The bare route receiving the same request headers as the session route (issue 9's baseline).
    { key: "healthCookie", url: `${APP.memory}/api/health`, headers: cookie(sessions.memory), cpuMs: memoryCpu },
    { key: "sessionMemory", url: `${APP.memory}/api/auth/session`, headers: cookie(sessions.memory), cpuMs: memoryCpu },
    { key: "sessionRedis", url: `${APP.redis}/api/auth/session`, headers: cookie(sessions.redis), cpuMs: redisCpu },
    // Splits row 1: the session route without a cookie, i.e. without decrypt and store read.
    { key: "sessionNoCookie", url: `${APP.memory}/api/auth/session`, cpuMs: memoryCpu },
    { key: "profileSignedIn", url: `${APP.memory}/profile`, headers: cookie(sessions.memory), cpuMs: memoryCpu },
    // The same page without the guard (pages/bench/profile-unguarded.tsx), same cookie.
    { key: "profileUnguarded", url: `${APP.memory}/bench/profile-unguarded`, headers: cookie(sessions.memory), cpuMs: memoryCpu },
    { key: "homeSignedOut", url: `${APP.memory}/`, cpuMs: memoryCpu },
    { key: "homeSignedIn", url: `${APP.memory}/`, headers: cookie(sessions.memory), cpuMs: memoryCpu },
    // Rows 1c-2d: every request takes the next cookie of a pool of distinct signed-in sessions; the bare route and the
    // unguarded twin get the same rotating Cookie header.
    ...CONFIG.pools.flatMap((n) => {
      const cookiePool = pools.memory.slice(0, n).map((s) => s.cookieHeader);
      return [
        { key: `healthPool${n}`, url: `${APP.memory}/api/health`, cookiePool, cpuMs: memoryCpu },
        { key: `sessionPool${n}`, url: `${APP.memory}/api/auth/session`, cookiePool, cpuMs: memoryCpu },
        { key: `profilePool${n}`, url: `${APP.memory}/profile`, cookiePool, cpuMs: memoryCpu },
        { key: `unguardedPool${n}`, url: `${APP.memory}/bench/profile-unguarded`, cookiePool, cpuMs: memoryCpu },
      ];
    }),
    // Row 1e: the largest pool on an instance that keeps a decoded cookie for each of its sessions.
    ...(pools.memoryCached.length
      ? [
          { key: "healthPoolCached", url: `${APP.memoryCached}/api/health`, cookiePool: pools.memoryCached.map((s) => s.cookieHeader), cpuMs: cachedCpu },
          { key: "sessionPoolCached", url: `${APP.memoryCached}/api/auth/session`, cookiePool: pools.memoryCached.map((s) => s.cookieHeader), cpuMs: cachedCpu },
        ]
      : []),
    // Row 6b: the largest pool on a Redis instance, against the bare route of that instance with the same cookies.
    ...(pools.redis.length
      ? [
          { key: "healthRedisPool", url: `${APP.redis}/api/health`, cookiePool: pools.redis.map((s) => s.cookieHeader), cpuMs: redisCpu },
          { key: "sessionRedisPool", url: `${APP.redis}/api/auth/session`, cookiePool: pools.redis.map((s) => s.cookieHeader), cpuMs: redisCpu },
        ]
      : []),
  ];
  const logOffsets = Object.fromEntries(["memory", "memoryCached", "redis"].map((where) => [where, procs[where].output().length]));
  const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
  for (const target of targets) {
    await throughput({ ...target, connections: CONFIG.connections, durationS: CONFIG.warmupS });
  }
  for (let rep = 1; rep <= CONFIG.reps; rep += 1) {
    // Each round starts one target later, so no target always runs right after the same neighbour.
    const order = targets.map((_, i) => targets[(i + rep - 1) % targets.length]);
    for (const target of order) {
      const result = await throughput({ ...target, connections: CONFIG.connections, durationS: CONFIG.durationS });
      if (result.non2xx || result.errors || !result.requests) {
        throw new Error(`${target.key}: ${result.non2xx} non-2xx and ${result.errors} errors in ${result.requests} requests`);
      }
      runs[target.key].push(result);
      say(`  round ${rep} ${target.key.padEnd(15)} ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${Math.round(result.cpuUsPerRequest)} µs CPU/req`);
    }
  }
  await expectSignedIn(APP.memory, sessions.memory, "after the throughput runs");
  await expectSignedIn(APP.redis, sessions.redis, "after the throughput runs");
  // A pooled read that answered "signed out" would still be a 200: every pooled session must still be signed in, and
  // no read may have ended, refused or refreshed one (the app logs each).
  for (const [where, url, pool] of [["memory", APP.memory, pools.memory], ["memoryCached", APP.memoryCached, pools.memoryCached], ["redis", APP.redis, pools.redis]]) {
    await inTurns(pool, (session, i) => expectSignedIn(url, session, `pooled session ${i} (${where})`));
    const trouble = procs[where].output().slice(logOffsets[where]).match(READ_TROUBLE);
    if (trouble) throw new Error(`pooled reads on the ${where} instance logged ${trouble.length} problem line(s), e.g. ${trouble[0]}`);
  }

  const summary = (key) => ({
    rps: round(median(runs[key].map((r) => r.rps))),
    p50: median(runs[key].map((r) => r.p50)),
    p99: median(runs[key].map((r) => r.p99)),
    cpuUsPerRequest: round(median(runs[key].map((r) => r.cpuUsPerRequest))),
  });
  // The same ratios from the app's CPU time per request (b's cost over a's): steadier when the cores are shared.
  const cpuRatio = (a, b) => round(median(runs[a].map((r, i) => runs[b][i].cpuUsPerRequest / r.cpuUsPerRequest)), 2);
  // Ratios are paired: one per round (the two targets ran back to back), then the median.
  const ratio = (a, b) => round(median(runs[a].map((r, i) => r.rps / runs[b][i].rps)), 2);
  return {
    runs,
    medians: Object.fromEntries(targets.map((t) => [t.key, summary(t.key)])),
    pooled: Object.fromEntries(
      CONFIG.pools.map((n) => [
        n,
        {
          sessionVsHealth: ratio(`sessionPool${n}`, `healthPool${n}`),
          sessionVsHealthCpu: cpuRatio(`sessionPool${n}`, `healthPool${n}`),
          profileVsUnguarded: ratio(`profilePool${n}`, `unguardedPool${n}`),
          profileVsUnguardedCpu: cpuRatio(`profilePool${n}`, `unguardedPool${n}`),
        },
      ]),
    ),
    pooledCached: pools.memoryCached.length
      ? {
          size: pools.memoryCached.length,
          cacheEntries: CONFIG.cachedPoolEntries,
          sessionVsHealth: ratio("sessionPoolCached", "healthPoolCached"),
          sessionVsHealthCpu: cpuRatio("sessionPoolCached", "healthPoolCached"),
        }
      : null,
    pooledRedis: pools.redis.length
      ? {
          size: pools.redis.length,
          sessionVsHealth: ratio("sessionRedisPool", "healthRedisPool"),
          sessionVsHealthCpu: cpuRatio("sessionRedisPool", "healthRedisPool"),
          vsMemory: CONFIG.pools.includes(pools.redis.length) ? ratio("sessionRedisPool", `sessionPool${pools.redis.length}`) : null,
        }
      : null,
    ratios: {
      sessionVsHealth: ratio("sessionMemory", "health"),
      sessionVsHealthCookie: ratio("sessionMemory", "healthCookie"),
      sessionNoCookieVsHealth: ratio("sessionNoCookie", "health"),
      profileVsUnguarded: ratio("profileSignedIn", "profileUnguarded"),
      homeSignedInVsSignedOut: ratio("homeSignedIn", "homeSignedOut"),
      redisVsMemory: ratio("sessionRedis", "sessionMemory"),
    },
    cpuRatios: {
      sessionVsHealth: cpuRatio("sessionMemory", "health"),
      sessionVsHealthCookie: cpuRatio("sessionMemory", "healthCookie"),
      sessionNoCookieVsHealth: cpuRatio("sessionNoCookie", "health"),
      profileVsUnguarded: cpuRatio("profileSignedIn", "profileUnguarded"),
      homeSignedInVsSignedOut: cpuRatio("homeSignedIn", "homeSignedOut"),
      redisVsMemory: cpuRatio("sessionRedis", "sessionMemory"),
    },
  };
}

/** Row 3: sign-out with and without the Keycloak handshake, one provider round trip, and a hanging provider. */
async function signOutRows(apps) {
  // Warm both instances' sign-out paths (first discovery, first back-channel request) outside the figures.
  for (let i = 0; i < 3; i += 1) {
    await logout(await login(APP.memory, USERS.alice));
    await logout(await login(APP.local, USERS.alice));
  }

  say(`  signing in ${CONFIG.signOuts} sessions on each of two instances ...`);
  const federatedSessions = [];
  const localSessions = [];
  for (let i = 0; i < CONFIG.signOuts; i += 1) {
    federatedSessions.push(await login(APP.memory, USERS.alice));
    localSessions.push(await login(APP.local, USERS.alice));
  }
  const before = await idpControl.stats();
  const logOffset = apps.memory.output().length;
  const federated = [];
  const local = [];
  for (let i = 0; i < CONFIG.signOuts; i += 1) {
    federated.push(await logout(federatedSessions[i]));
    local.push(await logout(localSessions[i]));
  }
  const after = await idpControl.stats();
  // The provider times each back-channel logout it sends to the app (POST to 200), for these sign-outs.
  const backchannelMs = after.backchannel.roundTripsMs.slice(-(after.backchannel.sent - before.backchannel.sent));
  const healthMs = await timeRequests(20, (agent) => httpRequest(`${APP.memory}/api/health`, { agent }));
  const handshakeMs = [...apps.memory.output().slice(logOffset).matchAll(/KEYCLOAK_LOGOUT_OK .*?\bms=(\d+)/g)].map((m) => Number(m[1]));

  // One provider round trip, estimated from this process: the end-session endpoint with a bad hint (400),
  // and the discovery document, each over a warm keep-alive connection like the app's.
  const badHintMs = await timeRequests(20, async (agent) => {
    const status = await endSession({ issuer: ISSUER, idToken: "not-a-token", agent });
    if (status !== 400) throw new Error(`end-session endpoint with a bad hint answered ${status}, expected 400`);
  });
  const discoveryMs = await timeRequests(20, (agent) => httpRequest(`${ISSUER}/.well-known/openid-configuration`, { agent }));

  // For comparison only: a real logout (valid hint, ends a session, includes the provider's back-channel call
  // to the app), with ID tokens the benchmark obtained itself as the same client.
  const redirectUri = `${PUBLIC_URL}/api/auth/callback/keycloak`;
  const idTokens = [];
  for (let i = 0; i < 11; i += 1) idTokens.push((await oidcLogin({ issuer: ISSUER, redirectUri, ...USERS.alice })).tokens.id_token);
  const realLogoutMs = await timeRequests(10, async (agent) => {
    const status = await endSession({ issuer: ISSUER, idToken: idTokens.pop(), agent });
    if (status !== 200) throw new Error(`end-session endpoint with a valid hint answered ${status}, expected 200`);
  });

  // The provider's logout hangs: sign-out must still finish within KEYCLOAK_LOGOUT_TIMEOUT_MS.
  const hangSessions = [];
  for (let i = 0; i < CONFIG.hangSignOuts; i += 1) hangSessions.push(await login(APP.memory, USERS.alice));
  await idpControl.setFault("logout", "hang");
  const hang = [];
  try {
    for (const session of hangSessions) hang.push(await logout(session));
  } finally {
    await idpControl.clearFaults();
  }

  const fedMs = federated.map((r) => r.ms);
  const localMs = local.map((r) => r.ms);
  return {
    federatedPostMs: fedMs,
    localPostMs: localMs,
    handshakeMsFromAppLog: handshakeMs,
    providerLogoutsHinted: after.logouts.hinted - before.logouts.hinted,
    badHintMs,
    discoveryMs,
    realLogoutMs,
    backchannelMs,
    healthMs,
    hangPostMs: hang.map((r) => r.ms),
    medians: {
      federated: median(fedMs),
      local: median(localMs),
      federatedP99: percentile(fedMs, 99),
      localP99: percentile(localMs, 99),
      difference: median(fedMs) - median(localMs),
      handshake: median(handshakeMs),
      badHintRoundTrip: median(badHintMs),
      discoveryRoundTrip: median(discoveryMs),
      realLogoutRoundTrip: median(realLogoutMs),
      backchannel: median(backchannelMs),
      health: median(healthMs),
      hang: median(hang.map((r) => r.ms)),
      hangMax: Math.max(...hang.map((r) => r.ms)),
    },
  };
}

/** Row 4: bursts on one session whose access token is due for refresh; memory store, then Redis split over two instances. */
async function refreshBurstRows() {
  const plans = [];
  for (let rep = 1; rep <= CONFIG.burstReps; rep += 1) {
    for (const size of CONFIG.burstSizes) {
      plans.push({ rep, size, store: "memory", targets: [APP.memory] });
      plans.push({ rep, size, store: "redis", targets: [APP.redis, APP.redis2] });
    }
  }
  say(`  signing in ${plans.length} sessions, then waiting for their access tokens to fall due ...`);
  for (const plan of plans) plan.session = await login(plan.targets[0], USERS.alice);
  // Past expiry every session is due, whatever margin the app refreshes with before it (lib/session/tokenState.ts).
  await sleep((CONFIG.refreshTtlS + 1) * 1000);

  const results = [];
  for (const plan of plans) {
    const before = (await idpControl.stats()).refreshGrants;
    const share = plan.size / plan.targets.length;
    const parts = await Promise.all(
      plan.targets.map((url) =>
        burst({ url, path: "/api/auth/session", headers: { cookie: plan.session.cookieHeader }, count: share, check: hasUser }),
      ),
    );
    const refreshGrants = (await idpControl.stats()).refreshGrants - before;
    const after = await fetch(`${plan.targets[0]}/api/auth/session`, { headers: { cookie: plan.session.cookieHeader } });
    const aliveAfter = hasUser(after.status, await after.text());
    const result = {
      rep: plan.rep,
      size: plan.size,
      store: plan.store,
      instances: plan.targets.length,
      refreshGrants,
      failed: parts.reduce((n, p) => n + p.failed, 0),
      // Split bursts: the larger of the two instances' p99 (each saw half the burst).
      p99: Math.max(...parts.map((p) => p.p99)),
      p50: median(parts.map((p) => p.p50)),
      aliveAfter,
    };
    results.push(result);
    say(`  burst ${plan.size} (${plan.store}, round ${plan.rep}): ${refreshGrants} refresh grant(s), ${result.failed} failed, p99 ${result.p99} ms`);
  }

  const pick = (store, size) => results.filter((r) => r.store === store && r.size === size);
  const summary = Object.fromEntries(
    ["memory", "redis"].flatMap((store) =>
      CONFIG.burstSizes.map((size) => {
        const rows = pick(store, size);
        return [
          `${store}${size}`,
          {
            refreshGrantsMedian: median(rows.map((r) => r.refreshGrants)),
            refreshGrantsMax: Math.max(...rows.map((r) => r.refreshGrants)),
            failedTotal: rows.reduce((n, r) => n + r.failed, 0),
            p99: median(rows.map((r) => r.p99)),
            allAliveAfter: rows.every((r) => r.aliveAfter),
          },
        ];
      }),
    ),
  );
  return { results, summary };
}

/**
 * Row 4b: sustained load on one session whose access tokens live `shortTtlS` seconds (single-use refresh tokens):
 * refresh grants against the refresh points the lifespan allows, so a fresh token that is already due shows.
 */
async function shortLifespanRows() {
  const lifespanS = CONFIG.shortTtlS;
  const durationS = CONFIG.shortTtlRunS;
  const plans = [
    { key: "memory20", store: "memory", connections: [20], targets: [APP.memory] },
    { key: "memory200", store: "memory", connections: [200], targets: [APP.memory] },
    { key: "redis20", store: "redis", connections: [10, 10], targets: [APP.redis, APP.redis2] },
  ];
  const rows = {};
  for (const plan of plans) {
    const session = await login(plan.targets[0], USERS.alice);
    const before = (await idpControl.stats()).refreshGrants;
    const parts = await Promise.all(
      plan.targets.map((url, i) =>
        throughput({ url: `${url}/api/auth/session`, headers: { cookie: session.cookieHeader }, connections: plan.connections[i], durationS }),
      ),
    );
    const refreshGrants = (await idpControl.stats()).refreshGrants - before;
    const after = await fetch(`${plan.targets[0]}/api/auth/session`, { headers: { cookie: session.cookieHeader } });
    const requests = parts.reduce((n, p) => n + p.requests, 0);
    rows[plan.key] = {
      store: plan.store,
      connections: plan.connections.reduce((a, b) => a + b, 0),
      lifespanS,
      durationS,
      requests,
      failed: parts.reduce((n, p) => n + p.non2xx + p.errors, 0),
      refreshGrants,
      // Expiries are whole seconds and the margin is at most a quarter of the lifespan: one refresh per token can
      // come every 0.75 * lifespan - 1 s at the earliest, and no later than every lifespan.
      maxGrantsOnePerExpiry: Math.ceil(durationS / (0.75 * lifespanS - 1)) + 1,
      minGrantsOnePerExpiry: Math.floor(durationS / lifespanS),
      aliveAfter: hasUser(after.status, await after.text()),
    };
    say(`  ${lifespanS} s lifespan, ${plan.key}: ${refreshGrants} grant(s) in ${durationS} s over ${requests} requests, alive after: ${rows[plan.key].aliveAfter}`);
  }
  return rows;
}

// ---------------------------------------------------------------- main

async function main() {
  installCleanup();
  const started = Date.now();
  const loadAverageAtStart = os.loadavg().map((v) => round(v, 2));
  for (const port of [...CONFIG.ports.apps, CONFIG.ports.idp, CONFIG.ports.redis]) await assertPortFree(port);
  await build();

  say("starting redis-server, the identity provider and five app instances ...");
  const redis = await startRedis();
  let idp = await startIdp({ IDP_ACCESS_TOKEN_TTL_S: String(CONFIG.throughputTokenTtlS), IDP_SSO_IDLE_S: String(2 * CONFIG.throughputTokenTtlS) });
  const apps = {
    memory: await startApp(APP.memory),
    local: await startApp(APP.local, { federatedLogout: false }),
    redis: await startApp(APP.redis, { redisUrl: redis.url }),
    redis2: await startApp(APP.redis2, { redisUrl: redis.url }),
    memoryCached: await startApp(APP.memoryCached, { cookieCacheEntries: CONFIG.cachedPoolEntries }),
  };
  const all = () => [redis, idp, ...Object.values(apps)];

  try {
    say("row 5: session cookie size ...");
    const manyRoles = await login(APP.memory, USERS.manyRoles);
    const alice = await login(APP.memory, USERS.alice);
    const cookies = { manyRoles: cookieFigures(manyRoles), alice: cookieFigures(alice) };
    await expectSignedIn(APP.memory, manyRoles, "many-roles");

    say(`rows 1, 2, 6: throughput, ${CONFIG.connections} connections, ${CONFIG.reps} rounds of ${CONFIG.durationS} s per target ...`);
    const redisSession = await login(APP.redis, USERS.alice);
    await expectSignedIn(APP.memory, alice, "alice (memory store)");
    await expectSignedIn(APP.redis, redisSession, "alice (Redis store)");
    const largest = Math.max(0, ...CONFIG.pools);
    say(`rows 1c-2d, 1e, 6b: signing in ${largest} distinct sessions on each of two memory instances and on a Redis instance (${CONFIG.signInConcurrency} at a time) ...`);
    const signInStarted = Date.now();
    const pools = {
      memory: await signInMany(APP.memory, USERS.alice, largest),
      memoryCached: await signInMany(APP.memoryCached, USERS.alice, largest),
      redis: await signInMany(APP.redis, USERS.alice, largest),
    };
    const poolSignInS = round((Date.now() - signInStarted) / 1000, 1);
    say(`  signed in ${3 * largest} sessions in ${poolSignInS} s`);
    const load = await throughputRows({ memory: alice, redis: redisSession }, { ...apps, redisServer: redis }, pools);
    load.poolSignInS = poolSignInS;

    say(`row 3: sign-out, ${CONFIG.signOuts} each with and without the Keycloak handshake ...`);
    const signOuts = await signOutRows(apps);

    say(`row 4: refresh bursts (IdP restarted: access tokens ${CONFIG.refreshTtlS} s, refresh token rotation on) ...`);
    await idp.stop();
    idp = await startIdp({ IDP_ACCESS_TOKEN_TTL_S: String(CONFIG.refreshTtlS), IDP_REVOKE_REFRESH_TOKEN: "true" });
    const bursts = await refreshBurstRows();

    say(`row 4b: sustained load with ${CONFIG.shortTtlS} s access tokens (IdP restarted, refresh token rotation on) ...`);
    await idp.stop();
    idp = await startIdp({ IDP_ACCESS_TOKEN_TTL_S: String(CONFIG.shortTtlS), IDP_REVOKE_REFRESH_TOKEN: "true" });
    const shortLifespan = await shortLifespanRows();

    const results = {
      date: new Date().toISOString(),
      machine: { ...machineFacts(ROOT), loadAverageAtStart, loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)) },
      config: CONFIG,
      runtimeS: round((Date.now() - started) / 1000, 1),
      cookies,
      load,
      signOuts,
      bursts,
      shortLifespan,
    };
    mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
    writeFileSync(path.join(ROOT, "bench", "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    printTable(results);
    writeResultsMarkdown(path.join(ROOT, "bench", "RESULTS.md"), results);
    say(`wrote bench/results/latest.json and bench/RESULTS.md; total ${results.runtimeS} s`);
  } catch (error) {
    for (const proc of all()) {
      if (/ERROR|exited/.test(proc.output())) console.error(`--- ${proc.name} (last lines)\n${tail(proc.output(), 15)}`);
    }
    throw error;
  } finally {
    await Promise.all(all().map((proc) => proc.stop()));
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench: FAILED ${error.message}`);
    process.exit(1);
  },
);
