// The benchmark's table: console output, bench/RESULTS.md, and the machine facts they carry.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const run = (command, args, cwd) => {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
};

const version = (root, name) => {
  try {
    return JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
};

/** nproc, the CPU model, Node and the versions that matter, and the commit measured. */
export function machineFacts(root) {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return "";
    }
  })();
  return {
    nproc: Number(run("nproc", [], root)) || null,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    node: process.version,
    next: version(root, "next"),
    nextAuth: version(root, "next-auth"),
    autocannon: version(root, "autocannon"),
    commit: run("git", ["rev-parse", "--short", "HEAD"], root),
  };
}

const ms = (value) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : "n/a");
const x = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : "n/a");
const verdict = (ok) => (ok === null ? "info" : ok ? "met" : "missed");

/** The rows of the table: figure, value (ratio first, absolute numbers alongside), goal, verdict. */
export function tableRows(r) {
  const { medians: m, ratios, cpuRatios: c } = r.load;
  const s = r.signOuts.medians;
  const timeout = r.config.logoutTimeoutMs;
  const rt = (t) => `${m[t].rps} req/s, p50 ${m[t].p50} ms, p99 ${m[t].p99} ms, ${m[t].cpuUsPerRequest} µs CPU/req`;
  const byCpu = (key) => `; by CPU per request ${x(c[key])}`;
  const rows = [
    [
      "1. GET /api/auth/session (valid cookie) vs GET /api/health sent the same Cookie header, same instance",
      `${x(ratios.sessionVsHealthCookie)}${byCpu("sessionVsHealthCookie")} (session: ${rt("sessionMemory")}; health with the cookie: ${rt("healthCookie")})`,
      ">= 0.9x",
      verdict(ratios.sessionVsHealthCookie >= 0.9),
    ],
    [
      "1a. GET /api/auth/session (valid cookie) vs GET /api/health without a cookie (the bare baseline)",
      `${x(ratios.sessionVsHealth)}${byCpu("sessionVsHealth")} (health: ${rt("health")})`,
      "-",
      "info",
    ],
    [
      "1b. GET /api/auth/session without a cookie vs GET /api/health (the route alone, no session work)",
      `${x(ratios.sessionNoCookieVsHealth)}${byCpu("sessionNoCookieVsHealth")} (no cookie: ${rt("sessionNoCookie")})`,
      "-",
      "info",
    ],
    [
      "2. GET /profile (guarded, signed in) vs the same page unguarded (/bench/profile-unguarded), same cookie",
      `${x(ratios.profileVsUnguarded)}${byCpu("profileVsUnguarded")} (/profile: ${rt("profileSignedIn")}; unguarded: ${rt("profileUnguarded")})`,
      ">= 0.9x",
      verdict(ratios.profileVsUnguarded >= 0.9),
    ],
    [
      "2b. GET / signed in vs GET / signed out (same page, session read only)",
      `${x(ratios.homeSignedInVsSignedOut)}${byCpu("homeSignedInVsSignedOut")} (signed in: ${rt("homeSignedIn")})`,
      "-",
      "info",
    ],
  ];
  // Rows 1c-2d: pools of distinct signed-in sessions, each request the next cookie (issue 20).
  const pools = Object.keys(r.load.pooled ?? {}).map(Number).sort((a, b) => a - b);
  const largest = Math.max(0, ...pools);
  const count = (n) => n.toLocaleString("en-US");
  pools.forEach((n, i) => {
    const p = r.load.pooled[n];
    const letter = String.fromCharCode("c".charCodeAt(0) + i);
    rows.push([
      `1${letter}. GET /api/auth/session vs GET /api/health, each request the next cookie of ${count(n)} distinct signed-in sessions (memory store)`,
      `${x(p.sessionVsHealth)}; by CPU per request ${x(p.sessionVsHealthCpu)} (session: ${rt(`sessionPool${n}`)}; health: ${rt(`healthPool${n}`)})`,
      n === largest ? ">= 0.85x" : "-",
      n === largest ? verdict(p.sessionVsHealth >= 0.85) : "info",
    ]);
  });
  const pc = r.load.pooledCached;
  if (pc) {
    rows.push([
      `1${String.fromCharCode("c".charCodeAt(0) + pools.length)}. The same with ${count(pc.size)} sessions on an instance that keeps ${count(pc.cacheEntries)} decoded cookies (SESSION_COOKIE_CACHE_ENTRIES)` +
        (pc.cacheEntries >= pc.size ? ": every read a hit" : ": fewer than the sessions, so every read a miss"),
      `${x(pc.sessionVsHealth)}; by CPU per request ${x(pc.sessionVsHealthCpu)} (session: ${rt("sessionPoolCached")}; health: ${rt("healthPoolCached")})`,
      "-",
      "info",
    ]);
  }
  pools.forEach((n, i) => {
    const p = r.load.pooled[n];
    const letter = String.fromCharCode("c".charCodeAt(0) + i);
    rows.push([
      `2${letter}. GET /profile vs /bench/profile-unguarded, each request the next cookie of ${count(n)} distinct signed-in sessions`,
      `${x(p.profileVsUnguarded)}; by CPU per request ${x(p.profileVsUnguardedCpu)} (/profile: ${rt(`profilePool${n}`)}; unguarded: ${rt(`unguardedPool${n}`)})`,
      "-",
      "info",
    ]);
  });
  const budget = s.badHintRoundTrip + 10;
  rows.push(
    [
      `3. Sign-out POST: Keycloak handshake on minus off (medians of ${r.signOuts.federatedPostMs.length} each)`,
      `+${ms(s.difference)} (on: ${ms(s.federated)}, p99 ${ms(s.federatedP99)}; off: ${ms(s.local)}, p99 ${ms(s.localP99)}; ` +
        `${x(s.federated / s.local)}; ` +
        `IdP sessions ended: ${r.signOuts.providerLogoutsHinted}/${r.signOuts.federatedPostMs.length})`,
      `<= 1 provider round trip + 10 ms = ${ms(budget)}`,
      verdict(s.difference <= budget),
    ],
    [
      "3b. One provider round trip (end-session POST with a bad hint, 400; keep-alive)",
      `${ms(s.badHintRoundTrip)} (discovery GET ${ms(s.discoveryRoundTrip)}; a real logout with a valid hint, ` +
        `back-channel included: ${ms(s.realLogoutRoundTrip)}; the app's handshake, from its log: ${ms(s.handshake)})`,
      "-",
      "info",
    ],
    [
      "3c. Back-channel logout round trip, provider to app (POST logout_token to 200) vs one GET /api/health",
      `${x(s.backchannel / s.health)} (back-channel ${ms(s.backchannel)} over ${r.signOuts.backchannelMs.length} logouts; ` +
        `health ${ms(s.health)})`,
      "-",
      "info",
    ],
    [
      `3d. Sign-out POST with the provider's logout hanging vs KEYCLOAK_LOGOUT_TIMEOUT_MS (${timeout} ms)`,
      `${x(s.hang / timeout)} (median ${ms(s.hang)}, max ${ms(s.hangMax)} of ${r.signOuts.hangPostMs.length})`,
      `bounded: max <= timeout + 50 ms`,
      verdict(s.hangMax <= timeout + 50),
    ],
  );
  for (const store of ["memory", "redis"]) {
    for (const size of r.config.burstSizes) {
      const b = r.bursts.summary[`${store}${size}`];
      const where = store === "memory" ? "memory store, 1 instance" : "Redis, split over 2 instances";
      rows.push([
        `4. Burst of ${size} concurrent /api/auth/session, access token due (${where})`,
        `${b.refreshGrantsMedian} refresh grant(s) (max ${b.refreshGrantsMax} over ${r.config.burstReps}), ` +
          `${b.failedTotal} failed, p99 ${ms(b.p99)}${b.allAliveAfter ? "" : ", session ended"}`,
        "1 grant, 0 failed",
        verdict(b.refreshGrantsMax === 1 && b.failedTotal === 0 && b.allAliveAfter),
      ]);
    }
  }
  for (const row of Object.values(r.shortLifespan)) {
    const where = row.store === "memory" ? "memory store, 1 instance" : "Redis, split over 2 instances";
    rows.push([
      `4b. ${row.durationS} s of /api/auth/session on ${row.connections} connections, ${row.lifespanS} s access tokens (${where})`,
      `${row.refreshGrants} refresh grant(s) over ${row.requests} requests (one per expiry allows ${row.minGrantsOnePerExpiry}-${row.maxGrantsOnePerExpiry}), ` +
        `${row.failed} failed${row.aliveAfter ? "" : ", session ended"}`,
      "1 grant per expiry, 0 failed",
      verdict(row.refreshGrants <= row.maxGrantsOnePerExpiry && row.refreshGrants >= row.minGrantsOnePerExpiry && row.failed === 0 && row.aliveAfter),
    ]);
  }
  for (const [label, c] of [["many-roles (40 extra realm roles)", r.cookies.manyRoles], ["alice", r.cookies.alice]]) {
    rows.push([
      `5. Session cookie next-auth.session-token*, ${label}`,
      `${c.totalBytes} bytes in ${c.chunks} cookie(s)`,
      "1 cookie <= 4096 bytes",
      verdict(c.chunks === 1 && c.largestBytes <= 4096),
    ]);
  }
  rows.push([
    "6. GET /api/auth/session with Redis vs with the memory store",
    `${x(ratios.redisVsMemory)}${byCpu("redisVsMemory")} (Redis: ${rt("sessionRedis")}, redis-server's CPU included; ` +
        `memory: ${m.sessionMemory.rps} req/s, ${m.sessionMemory.cpuUsPerRequest} µs CPU/req)`,
    ">= 0.85x",
    verdict(ratios.redisVsMemory >= 0.85),
  ]);
  const pr = r.load.pooledRedis;
  if (pr) {
    rows.push([
      `6b. GET /api/auth/session vs GET /api/health on a Redis instance, each request the next cookie of ${count(pr.size)} distinct signed-in sessions`,
      `${x(pr.sessionVsHealth)}; by CPU per request ${x(pr.sessionVsHealthCpu)} (session: ${rt("sessionRedisPool")}, redis-server's CPU included; ` +
        `health: ${rt("healthRedisPool")}${pr.vsMemory === null ? "" : `; vs the memory store's row: ${x(pr.vsMemory)}`})`,
      "-",
      "info",
    ]);
  }
  return rows;
}

/** Prints the table to stdout. */
export function printTable(results) {
  const rows = tableRows(results);
  console.log("");
  for (const [figure, value, goal, ok] of rows) {
    console.log(`${ok.toUpperCase().padEnd(6)} ${figure}\n       ${value}\n       goal: ${goal}`);
  }
  console.log("");
}

const cell = (text) => String(text).replace(/\|/g, "\\|");

/** Writes bench/RESULTS.md: date, machine facts, the table and how each figure was measured. */
export function writeResultsMarkdown(file, r) {
  const m = r.machine;
  const c = r.config;
  const lines = [
    "# Benchmark results (`npm run bench`)",
    "",
    `Measured ${r.date.slice(0, 16).replace("T", " ")} UTC on ${m.nproc} CPU(s) (\`nproc\`), ${m.cpuModel}, Node ${m.node}; ` +
      `next ${m.next}, next-auth ${m.nextAuth}, autocannon ${m.autocannon}; commit ${m.commit}. Whole run: ${r.runtimeS} s. ` +
      `Load average (1/5/15 min) at start ${m.loadAverageAtStart.join(" / ")}, at end ${m.loadAverageAtEnd.join(" / ")}: ` +
      "other work on the machine shows here and moves absolute numbers more than ratios.",
    "",
    ...(Math.max(m.loadAverageAtStart[0], m.loadAverageAtEnd[0]) > m.nproc / 2
      ? [
          `**Shared machine:** the 1-minute load average reached ${Math.max(m.loadAverageAtStart[0], m.loadAverageAtEnd[0])} on ` +
            `${m.nproc} cores during this run, so other work competed with it; expect the throughput ratios to move by tens ` +
            "of percent between runs (the CPU-per-request ratios somewhat less).",
          "",
        ]
      : []),
    "Every figure is a ratio or difference of two things measured side by side in this run; absolute numbers are",
    "only meaningful next to their pair. Production `next start`, built-in identity provider and redis-server all on",
    `loopback, on the same ${m.nproc} cores as the load generator.`,
    "",
    "| figure | value | goal | |",
    "|---|---|---|---|",
    ...tableRows(r).map((row) => `| ${row.map(cell).join(" | ")} |`),
    "",
    "## How it was measured",
    "",
    `- Throughput (rows 1, 2, 6): autocannon, ${c.connections} keep-alive connections, ${c.durationS} s per target after a ` +
      `${c.warmupS} s warm-up, ${c.reps} interleaved rounds (the order rotates each round); req/s and latencies are medians of the rounds, each ratio is the ` +
      "median of the per-round ratios. The session cookie is alice's (one chunk); `/api/auth/session` answers with the user " +
      "(checked before and after). Every response of a run must be 2xx, or the run fails. Row 1b is the same route " +
      "without a cookie: what next-auth's handler costs before any session work. \"By CPU per request\" is the same " +
      "ratio computed from the app process's CPU time (/proc, user + system) per request instead of req/s: other " +
      "work on the machine moves it much less. Goals are judged on req/s, as specified.",
    "- Row 1 sends `/api/health` the same Cookie header as the session route (Next parses a request's cookies either " +
      "way); 1a is the bare baseline without it. Row 2 compares `/profile` (server-side guard: the session read of " +
      "`lib/nextauth/mirror/sessionRoute.ts`, then render) with its twin `/bench/profile-unguarded` (the same page for a fixed " +
      "placeholder user, no session read), both with alice's cookie. Row 2b: `/` signed in vs signed out (its " +
      "`getServerSideProps` reads the session, which returns at once without a cookie).",
    ...(c.pools?.length
      ? [
          `- Rows 1c-2d and 6b (issue 20): ${c.pools.map((n) => n.toLocaleString("en-US")).join(" and ")} distinct signed-in sessions of ` +
            `alice, each signed in through the app's real sign-in over HTTP (next-auth's routes, the provider's login form and ` +
            `callback; \`testing/nextAuthClient.mjs\`, ${c.signInConcurrency} at a time, ${r.load.poolSignInS} s for all of them): ` +
            "each its own app session with its own `sessionId` and token state in the store (the smaller pool is the start " +
            "of the larger; the Redis instance has its own). The load generator gives every request the next Cookie header " +
            "of the pool, one counter across its connections, so a cookie comes back only after all the others; the bare " +
            "route and the unguarded page get the same rotating headers. A pool answered \"signed out\" would still be a 200, " +
            "so after the rounds every pooled session is read once more and must be signed in, and the instances' logs must " +
            "show no session ended, refused, refreshed or failed during the rounds. The provider issues access tokens for " +
            `${c.throughputTokenTtlS} s here, so no read in these rows refreshes (rows 4 and 4b measure refreshes).` +
            (r.load.pooledCached
              ? " The pools above run on an instance with the default `SESSION_COOKIE_CACHE_ENTRIES` (1,000 decoded " +
                "cookies kept), so with more sessions than that every read decrypts its cookie; the last pool row signs " +
                `the largest pool in again on a fifth instance that keeps ${r.load.pooledCached.cacheEntries.toLocaleString("en-US")}.`
              : ""),
        ]
      : []),
    `- Row 3: ${c.signOuts} fresh sessions per instance, signed out one after another, alternating between an instance with ` +
      "`KEYCLOAK_FEDERATED_LOGOUT=true` and one with `false` (both memory store). Timed: the `POST /api/auth/signout` as " +
      "next-auth/react's `signOut()` sends it (its preceding `GET /api/auth/csrf` is not in the figure). The handshake " +
      "includes the provider's synchronous back-channel logout call to the app, as with Keycloak. The provider round " +
      "trip is estimated from the benchmark process: a POST to the end-session endpoint with an invalid `id_token_hint` " +
      "(answered 400 without ending anything), because the app's ID tokens never leave the server. For comparison, " +
      "3b also times a real logout (valid hint, the provider ends the session and calls the app's back-channel " +
      "endpoint before answering) with ID tokens the benchmark obtained itself as the same client, and the " +
      "handshake duration the app logs (`KEYCLOAK_LOGOUT_OK ms=`).",
    `- Row 3d: the provider's logout endpoint hangs (\`/_idp/faults\`), \`KEYCLOAK_LOGOUT_TIMEOUT_MS=${c.logoutTimeoutMs}\`.`,
    `- Row 4: provider restarted with \`IDP_ACCESS_TOKEN_TTL_S=${c.refreshTtlS}\` and \`IDP_REVOKE_REFRESH_TOKEN=true\` ` +
      "(a second refresh with a used token would end the session and show as failures). Each burst uses its own session, " +
      "signed in and then left untouched until 1 s after its access token expired. Grants are the " +
      "provider's `refreshGrants` delta; a failure is a response that is not 200 with a `user`. With Redis the burst is " +
      "split evenly over two instances and p99 is the larger of the two instances' p99.",
    `- Row 4b: provider restarted with \`IDP_ACCESS_TOKEN_TTL_S=${c.shortTtlS}\` and \`IDP_REVOKE_REFRESH_TOKEN=true\`; ` +
      `a fresh session per line under closed-loop load for ${c.shortTtlRunS} s. Access-token expiries are whole seconds and ` +
      "the app refreshes min(10 s, 25% of the lifespan) early, so one refresh per token falls every 0.75 x lifespan - 1 s " +
      "to every lifespan: the range shown. A refresh per request, or a fresh token already due, would show as far more grants.",
    "- Row 5: bytes of `name=value` of the `next-auth.session-token*` cookies right after sign-in (browsers limit a " +
      "cookie's name plus value to 4096 bytes).",
    "- All app instances share one public URL (`NEXTAUTH_URL`, the redirect URI registered at the provider); the " +
      "benchmark's HTTP sign-in (`testing/nextAuthClient.mjs`) delivers the provider's callback to the instance that started it.",
    "",
    "Raw numbers of the last run: `bench/results/latest.json` (not committed).",
    "",
  ];
  // The hand-written analysis that goes with these figures (profiles, before/after), kept beside the generator.
  let notes = "";
  try {
    notes = readFileSync(path.join(path.dirname(file), "read-path.md"), "utf8");
  } catch {
    // none
  }
  writeFileSync(file, lines.join("\n") + (notes ? `\n${notes}` : ""));
}
