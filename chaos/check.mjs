// @ts-check
// The invariants of "a sign-out is final", as pure functions over a run's history (chaos/history.mjs), so that each
// can be unit tested on a hand-written history (__tests__/chaos/check.test.ts). chaos/README.md explains each bound.

/** @typedef {import("./history.mjs").Entry} Entry */
/** @typedef {import("./history.mjs").FaultRecord} FaultRecord */
/** @typedef {import("./history.mjs").HistoryData} HistoryData */
/** @typedef {import("./history.mjs").Identity} Identity */

/**
 * One broken promise: which invariant, what happened, and the entries and faults that show it.
 * @typedef {{ invariant: 1 | 2 | 3 | 4 | 5, title: string, message: string, entries: Entry[], faults: FaultRecord[] }} Violation
 */

/**
 * The bounds the checker enforces, in ms. `answerMs`: per request kind (`op/step` or `op`), the slowest answer
 * allowed; `storeRecoveryMs`: how long after the store answers again an instance may take to write a revocation it
 * kept while the store was away; `storeFaultSlackMs`: how far outside a store fault a request still counts as hit
 * by it (the client's reconnect); `tokenMs`: how long a session may live on after Keycloak's admin logout when no
 * back-channel logout reached the app (until its access token expires and the refresh is refused);
 * `providerMs`: how long after the provider is reachable again a signed-out Keycloak session may live.
 * @typedef {{
 *   answerMs: Record<string, number>,
 *   defaultAnswerMs: number,
 *   storeRecoveryMs: number,
 *   storeFaultSlackMs: number,
 *   tokenMs: number,
 *   providerMs: number,
 * }} Bounds
 */

/**
 * The bounds for an app configured with these settings (README, Configuration; lib/ timeouts as documented in
 * chaos/README.md), each with a margin for two shared CPU cores.
 * @param {{ logoutTimeoutMs: number, refreshWaitMs: number, accessTokenTtlS: number, providerBoundS?: number }} settings
 * @returns {Bounds}
 */
export function deriveBounds({ logoutTimeoutMs, refreshWaitMs, accessTokenTtlS, providerBoundS = 600 }) {
  /** Redis: 500 ms per command, 1 s to connect; a request makes a few round trips. */
  const STORE_MS = 2000;
  /** Two cores shared by the app instances, the provider, Redis and the actors. */
  const MARGIN_MS = 2500;
  /** next-auth's openid-client calls (discovery, code exchange, keys): 3.5 s each. */
  const OIDC_CALL_MS = 3500;
  /** The userinfo and account routes' own timeouts towards Keycloak. */
  const KEYCLOAK_CALL_MS = 3000;
  const read = refreshWaitMs + STORE_MS + MARGIN_MS;
  return {
    answerMs: {
      "sign-in/csrf": STORE_MS + MARGIN_MS,
      "sign-in/start": OIDC_CALL_MS + STORE_MS + MARGIN_MS,
      "sign-in/callback": 2 * OIDC_CALL_MS + STORE_MS + MARGIN_MS,
      "reauth/start": OIDC_CALL_MS + STORE_MS + MARGIN_MS,
      "reauth/callback": 2 * OIDC_CALL_MS + STORE_MS + MARGIN_MS,
      session: read,
      page: read,
      userinfo: read + KEYCLOAK_CALL_MS,
      account: read + KEYCLOAK_CALL_MS,
      "sign-out/csrf": STORE_MS + MARGIN_MS,
      "sign-out": logoutTimeoutMs + STORE_MS + MARGIN_MS,
      "sign-out-everywhere": read + KEYCLOAK_CALL_MS + STORE_MS,
      backchannel: KEYCLOAK_CALL_MS + STORE_MS + MARGIN_MS,
    },
    defaultAnswerMs: read,
    storeRecoveryMs: 5000,
    storeFaultSlackMs: 2000,
    tokenMs: accessTokenTtlS * 1000 + refreshWaitMs + MARGIN_MS,
    providerMs: providerBoundS * 1000,
  };
}

/** Store faults during which the store cannot take a write (FLUSHALL loses data but stays available). */
const STORE_AWAY = new Set(["store-pause", "store-refuse", "store-hang", "store-restart"]);

/**
 * A revocation the app answered: from then on the sessions it names must not be served as signed in.
 * `by`: the app session (sign-out), Keycloak's sid (back-channel), sub (back-channel by user, sign out everywhere)
 * or username (Keycloak admin logout); `fromMs`/`atMs`: when the request started and was answered; sessions first
 * seen before `fromMs` are covered by sid/sub/user revocations. `untilMs`: until when a session may still be
 * served (a bounded window), if any.
 * @typedef {{ by: "session" | "sid" | "sub" | "user", key: string, fromMs: number, atMs: number, untilMs: number, window?: string, entry: Entry, faults: FaultRecord[] }} Revocation
 */

/**
 * The store faults that could have kept the write of a request answered between fromMs and atMs from landing.
 * @param {FaultRecord[]} faults
 * @param {number} fromMs
 * @param {number} atMs
 * @param {Bounds} bounds
 */
function storeAwayDuring(faults, fromMs, atMs, bounds) {
  return faults.filter((f) => STORE_AWAY.has(f.kind) && f.startMs <= atMs && f.endMs + bounds.storeFaultSlackMs >= fromMs);
}

/**
 * Every revocation the history shows the app (or the provider) answered.
 * @param {HistoryData} history
 * @param {Bounds} bounds
 * @returns {Revocation[]}
 */
export function revocations({ entries, faults }, bounds) {
  /** @type {Revocation[]} */
  const found = [];
  /**
   * @param {Revocation["by"]} by
   * @param {string | undefined} key
   * @param {Entry} entry
   * @param {{ untilMs?: number, window?: string }} [extra]
   */
  const add = (by, key, entry, extra = {}) => {
    if (!key) return;
    const away = storeAwayDuring(faults, entry.startMs, entry.endMs, bounds);
    const storeBackMs = Math.max(...away.map((f) => f.endMs)) + bounds.storeRecoveryMs;
    let untilMs = extra.untilMs ?? entry.endMs;
    let window = extra.window;
    if (away.length && storeBackMs > untilMs) {
      untilMs = storeBackMs;
      window = `answered while the store was away: ${bounds.storeRecoveryMs} ms after it is back`;
    }
    found.push({ by, key, fromMs: entry.startMs, atMs: entry.endMs, untilMs, ...(window ? { window } : {}), entry, faults: away });
  };
  for (const e of entries) {
    if (e.target === "app" && e.op === "sign-out" && !e.step && e.saw === "signed-out") add("session", e.carried?.session, e);
    if (e.target === "app" && e.op === "sign-out-everywhere" && e.status === 204) add("sub", e.carried?.sub, e);
    if (e.target === "app" && e.op === "backchannel" && e.status === 200) {
      if (e.carried?.sid) add("sid", e.carried.sid, e);
      else add("sub", e.carried?.sub, e);
    }
    if (e.target === "control" && e.op === "admin-logout" && e.saw === "answered") {
      add("user", e.user, e, { untilMs: e.endMs + bounds.tokenMs, window: `Keycloak admin logout without a back-channel answer: ${bounds.tokenMs} ms (access token lifetime)` });
    }
  }
  return found;
}

/**
 * When each app session was first seen (its sign-in callback, or the first request carrying it), by session hash.
 * @param {Entry[]} entries
 */
function firstSeen(entries) {
  /** @type {Map<string, number>} */
  const seen = new Map();
  for (const e of entries) {
    for (const identity of [e.issued, e.carried]) {
      if (!identity?.session) continue;
      const at = identity === e.issued ? e.endMs : e.startMs;
      if (!seen.has(identity.session) || /** @type {number} */ (seen.get(identity.session)) > at) seen.set(identity.session, at);
    }
  }
  return seen;
}

/**
 * Whether revocation `r` names the session `identity` (first seen at `seenMs`).
 * @param {Revocation} r
 * @param {Identity} identity
 * @param {number | undefined} seenMs
 */
function covers(r, identity, seenMs) {
  if (r.by === "session") return identity.session === r.key;
  const before = seenMs !== undefined && seenMs < r.fromMs;
  if (r.by === "sid") return before && identity.sid === r.key;
  if (r.by === "sub") return before && identity.sub === r.key;
  return before && identity.user === r.key;
}

/**
 * Invariant 1: no request carrying a session whose sign-out, sign out everywhere, back-channel logout or Keycloak
 * admin logout was answered is served as signed in afterwards, by any instance (after the bounded window, if any).
 * @param {HistoryData} history
 * @param {Bounds} bounds
 * @returns {Violation[]}
 */
export function checkRevokedStayRevoked(history, bounds) {
  const all = revocations(history, bounds);
  const seen = firstSeen(history.entries);
  /** @type {Violation[]} */
  const violations = [];
  /** One report per revoked session and revocation: the first request that shows it, and how many more did. */
  const reported = new Map();
  for (const e of history.entries) {
    // A sign-in callback answers for the session it issues, not for the cookie it replaces.
    if (e.target !== "app" || e.saw !== "signed-in" || !e.carried || e.step === "callback") continue;
    const carried = e.carried;
    for (const r of all) {
      if (e.startMs <= r.untilMs || !covers(r, carried, carried.session ? seen.get(carried.session) : undefined)) continue;
      const key = `${r.entry.seq}:${carried.session ?? carried.cookie}`;
      const earlier = reported.get(key);
      if (earlier) {
        earlier.count += 1;
        earlier.violation.message = `${earlier.base}; ${earlier.count} requests in all`;
        continue;
      }
      const base =
        `session ${carried.session ?? carried.cookie} (${carried.user ?? "?"}) served as signed in by app${e.instance} at ${e.startMs} ms, ` +
        `after its ${describe(r)} was answered at ${r.atMs} ms${r.window ? ` (window: ${r.window}, until ${r.untilMs} ms)` : ""}`;
      const violation = {
        invariant: /** @type {const} */ (1),
        title: "a revoked session was served as signed in",
        message: base,
        entries: sliceFor(history.entries, r.entry, e, carried),
        faults: faultsBetween(history.faults, r.fromMs, e.endMs),
      };
      reported.set(key, { count: 1, base, violation });
      violations.push(violation);
    }
  }
  return violations;
}

/** @param {Revocation} r */
function describe(r) {
  if (r.by === "session") return "sign-out";
  if (r.by === "sid") return "back-channel logout (sid)";
  if (r.by === "sub") return r.entry.op === "sign-out-everywhere" ? "sign out everywhere" : "back-channel logout (sub)";
  return "Keycloak admin logout";
}

/**
 * The entries that tell the story of a violation: the revocation, the requests carrying that session in between,
 * and the one that broke the promise (at most 12, the first and last kept).
 * @param {Entry[]} entries
 * @param {Entry} from
 * @param {Entry} to
 * @param {Identity} identity
 */
function sliceFor(entries, from, to, identity) {
  const between = entries.filter(
    (e) =>
      e !== from &&
      e !== to &&
      e.startMs >= from.startMs - 2000 &&
      e.startMs <= to.startMs &&
      ((identity.session && (e.carried?.session === identity.session || e.issued?.session === identity.session)) ||
        (e.op === "backchannel" && identity.sid && e.carried?.sid === identity.sid)),
  );
  const middle = between.length > 10 ? [...between.slice(0, 5), ...between.slice(-5)] : between;
  return [from, ...middle, to].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
}

/**
 * @param {FaultRecord[]} faults
 * @param {number} fromMs
 * @param {number} toMs
 */
function faultsBetween(faults, fromMs, toMs) {
  return faults.filter((f) => f.startMs <= toMs && f.endMs >= fromMs - 5000);
}

/**
 * Invariant 2: after a browser's sign-out (or sign out everywhere) was answered, its next sign-in shows the
 * provider's password form, whatever the sign-in request asks for (prompt=none included). Not owed when the browser
 * logged in at the provider since its last session was issued without that login reaching the app (a callback
 * that failed): that Keycloak session is one the app never learned of and cannot end.
 * @param {HistoryData} history
 * @returns {Violation[]}
 */
export function checkPasswordAfterSignOut({ entries, faults }) {
  /** @type {Violation[]} */
  const violations = [];
  /** @type {Map<string, Entry>} the answered sign-out each browser has not signed in since */
  const owed = new Map();
  /** Browsers holding a provider login the app never learned of (its callback issued no session). */
  const orphaned = new Set();
  const issuedOps = new Set(entries.filter((e) => e.issued).map((e) => e.opId));
  const byStart = [...entries].sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
  for (const e of byStart) {
    if (e.role !== "user") continue;
    if (e.issued) orphaned.delete(e.actor);
    const signedOut =
      e.target === "app" && e.carried && ((e.op === "sign-out" && !e.step && e.saw === "signed-out") || (e.op === "sign-out-everywhere" && e.status === 204));
    if (signedOut) {
      // The app can end only the Keycloak session it knows: a login whose callback failed left another one.
      if (orphaned.has(e.actor)) owed.delete(e.actor);
      else owed.set(e.actor, e);
      continue;
    }
    if (e.target !== "provider" || (e.saw !== "form" && e.saw !== "silent")) continue;
    if (!issuedOps.has(e.opId)) orphaned.add(e.actor);
    const signOut = owed.get(e.actor);
    owed.delete(e.actor);
    if (!signOut || e.saw === "form") continue;
    const attempt = entries.filter((x) => x.opId === e.opId);
    violations.push({
      invariant: 2,
      title: "a sign-in after sign-out skipped the password form",
      message: `${e.actor} signed out at ${signOut.endMs} ms; its next sign-in (${e.detail ?? "plain"}) at ${e.startMs} ms got a code without the password form`,
      entries: [signOut, ...attempt],
      faults: faultsBetween(faults, signOut.startMs, e.endMs),
    });
  }
  return violations;
}

/**
 * A Keycloak session that must end because its app session was signed out: by when, and whether the last look at
 * the provider still saw it.
 * @typedef {{ sid: string, signOut: Entry, deadlineMs: number, alive: boolean | undefined, observedMs: number | undefined }} OwedSession
 */

/**
 * Keycloak sessions whose app session was signed out and that nobody signed into again since: each must end at the
 * provider within `bounds.providerMs` of the provider being reachable again (after the last provider fault that
 * ended after the sign-out). `alive` is what the latest provider-sessions observation saw (undefined: none yet).
 * @param {HistoryData} history
 * @param {Bounds} bounds
 * @returns {OwedSession[]}
 */
export function owedProviderSessions({ entries, faults }, bounds) {
  /** @type {Map<string, Entry>} */
  const signOuts = new Map();
  for (const e of entries) {
    if (e.target === "app" && e.op === "sign-out" && !e.step && e.saw === "signed-out" && e.carried?.sid) {
      const known = signOuts.get(e.carried.sid);
      if (!known || known.endMs < e.endMs) signOuts.set(e.carried.sid, e);
    }
  }
  const observations = entries.filter((e) => e.op === "provider-sessions" && e.alive);
  const providerFaults = faults.filter((f) => f.lane === "provider");
  /** @type {OwedSession[]} */
  const owed = [];
  for (const [sid, signOut] of signOuts) {
    // Signed into again (Keycloak keeps the session for the new sign-in): nothing is owed any more.
    if (entries.some((e) => e.issued?.sid === sid && e.startMs > signOut.startMs)) continue;
    const reachableMs = Math.max(signOut.endMs, ...providerFaults.filter((f) => f.endMs >= signOut.startMs).map((f) => f.endMs));
    const latest = observations.filter((o) => o.startMs > signOut.endMs).at(-1);
    owed.push({
      sid,
      signOut,
      deadlineMs: reachableMs + bounds.providerMs,
      alive: latest ? /** @type {string[]} */ (latest.alive).includes(sid) : undefined,
      observedMs: latest?.startMs,
    });
  }
  return owed;
}

/**
 * Invariant 3: every Keycloak session whose app session was signed out has ended at the provider by its deadline.
 * @param {HistoryData} history
 * @param {Bounds} bounds
 * @returns {Violation[]}
 */
export function checkProviderSessionsEnd(history, bounds) {
  return owedProviderSessions(history, bounds)
    .filter((o) => o.alive && o.observedMs !== undefined && o.observedMs >= o.deadlineMs)
    .map((o) => ({
      invariant: /** @type {const} */ (3),
      title: "a signed-out Keycloak session lived on",
      message: `Keycloak session ${o.sid} (${o.signOut.carried?.user ?? "?"}) signed out at ${o.signOut.endMs} ms is still alive at ${o.observedMs} ms, past its deadline ${o.deadlineMs} ms`,
      entries: [o.signOut, ...history.entries.filter((e) => e.carried?.sid === o.sid && e.startMs > o.signOut.endMs && e.op === "backchannel"), ...history.entries.filter((e) => e.op === "provider-sessions" && e.startMs === o.observedMs)],
      faults: history.faults.filter((f) => f.endMs >= o.signOut.startMs),
    }));
}

/**
 * The answer bound of an entry's request kind.
 * @param {Entry} e
 * @param {Bounds} bounds
 */
export function answerBoundMs(e, bounds) {
  return bounds.answerMs[`${e.op}/${e.step}`] ?? bounds.answerMs[e.op] ?? bounds.defaultAnswerMs;
}

/**
 * Invariant 4: every app answer comes within its bound, and no 5xx but the documented one: 503 (STORE_UNAVAILABLE or
 * KEYCLOAK_UNAVAILABLE, lib/errors.ts). A request an instance never answered
 * counts only when that instance was not being killed. Breaches of one kind (same request, same problem) are one
 * violation with a count.
 * @param {HistoryData} history
 * @param {Bounds} bounds
 * @returns {Violation[]}
 */
export function checkAnswers({ entries, faults }, bounds) {
  /** @type {Map<string, { violation: Violation, count: number, worstMs: number, base: string }>} */
  const groups = new Map();
  for (const e of entries) {
    if (e.target !== "app") continue;
    const tookMs = e.endMs - e.startMs;
    const boundMs = answerBoundMs(e, bounds);
    const killed = faults.some((f) => f.kind === "instance-kill" && f.instance === e.instance && f.startMs <= e.endMs + 1000 && f.endMs + 1000 >= e.startMs);
    /** @type {string | undefined} */
    let problem;
    if (e.status !== undefined && e.status >= 500 && e.status !== 503) {
      problem = `answered ${e.status}`;
    } else if (tookMs > boundMs && !(killed && e.status === undefined)) {
      problem = `slower than its bound of ${boundMs} ms`;
    } else if (e.saw === "no-answer" && !killed) {
      problem = `no answer (${e.detail ?? "connection failed"}) while the instance was not being killed`;
    }
    if (!problem) continue;
    // One violation per kind of request and kind of breach, with its count and examples: a blocked sign-out
    // repeats on every try, and a hundred copies would hide the other violations.
    const key = `${e.op}/${e.step ?? ""}|${problem}`;
    const group = groups.get(key);
    const near = faults.filter((f) => f.startMs <= e.endMs && f.endMs >= e.startMs - 2000);
    if (group) {
      group.count += 1;
      group.violation.message = `${group.base}: ${group.count} answers, the slowest ${Math.max(group.worstMs, tookMs)} ms`;
      if (tookMs > group.worstMs) group.worstMs = tookMs;
      if (group.violation.entries.length < 3) {
        group.violation.entries.push(e);
        for (const f of near) if (!group.violation.faults.includes(f)) group.violation.faults.push(f);
      }
      continue;
    }
    const base = `${e.method ?? ""} ${e.path ?? e.op} ${problem}`;
    const violation = {
      invariant: /** @type {const} */ (4),
      title: "an answer broke its bound or was an undocumented 5xx",
      message: `${base}: 1 answer, ${tookMs} ms`,
      entries: [e],
      faults: near,
    };
    groups.set(key, { violation, count: 1, worstMs: tookMs, base });
  }
  return [...groups.values()].map((g) => g.violation);
}

/**
 * Invariant 5: a replayed sign-out queues nothing. The logout queue (Keycloak logouts waiting for a retry) never
 * holds two entries for one Keycloak session: an observer samples the most entries one sid has (`value`).
 * @param {HistoryData} history
 * @returns {Violation[]}
 */
export function checkLogoutQueueBound({ entries, faults }) {
  const samples = entries.filter((e) => e.op === "logout-queue" && (e.value ?? 0) > 1);
  if (!samples.length) return [];
  const worst = samples.reduce((a, b) => (/** @type {number} */ (b.value) > /** @type {number} */ (a.value) ? b : a));
  const first = samples[0];
  const signOuts = entries.filter((e) => e.target === "app" && e.op === "sign-out" && !e.step && e.startMs <= first.startMs && e.startMs >= first.startMs - 10_000);
  // One report per run: the first sample that shows it, the worst, and the sign-outs just before the first.
  return [
    {
      invariant: 5,
      title: "the logout queue holds several entries for one Keycloak session",
      message: `${first.value} pending Keycloak logouts for one sid at ${first.startMs} ms; at worst ${worst.value} (${worst.detail ?? ""}) at ${worst.startMs} ms; ${samples.length} samples over 1`,
      entries: [...signOuts.filter((e) => e.role === "attacker").slice(-6), ...signOuts.filter((e) => e.role !== "attacker").slice(-2), first, worst].sort((x, y) => x.startMs - y.startMs),
      faults: faults.filter((f) => f.lane === "provider" && f.startMs <= first.startMs && f.endMs >= first.startMs - 60_000),
    },
  ];
}

/**
 * Every invariant over a run's history, in order.
 * @param {HistoryData} history
 * @param {Bounds} bounds
 * @returns {Violation[]}
 */
export function checkHistory(history, bounds) {
  return [
    ...checkRevokedStayRevoked(history, bounds),
    ...checkPasswordAfterSignOut(history),
    ...checkProviderSessionsEnd(history, bounds),
    ...checkAnswers(history, bounds),
    ...checkLogoutQueueBound(history),
  ];
}
