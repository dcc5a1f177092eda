// @ts-check
// npm run chaos: a Jepsen-style check of "a sign-out is final" (issue 17, item 7). Starts the stack
// (chaos/stack.mjs), lets virtual users, an attacker and an operator work (chaos/actors.mjs) while the seeded
// schedule (chaos/schedule.mjs) hurts the provider, the store and the instances (chaos/faults.mjs), records every
// request (chaos/history.mjs), waits for owed provider logouts, and checks the invariants (chaos/check.mjs).
// Usage and bounds: chaos/README.md.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { installCleanup } from "../testing/process.mjs";
import { USERS } from "../testing/users.mjs";
import { Attacker, Browser, Loot, Operator, runActor } from "./actors.mjs";
import { checkHistory, deriveBounds, owedProviderSessions } from "./check.mjs";
import { runLane } from "./faults.mjs";
import { History, formatEntry, formatFault } from "./history.mjs";
import { FAULT_KINDS, Random, buildSchedule } from "./schedule.mjs";
import { CHAOS_SETTINGS, startStack } from "./stack.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The last part of a run has no faults: queued logouts get their retries, windows close. */
const QUIET_TAIL_S = 30;
/** How often the tail looks at the provider's sessions. */
const TAIL_POLL_MS = 3000;

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "120" },
    seed: { type: "string" },
    keycloak: { type: "boolean", default: false },
    build: { type: "boolean", default: true },
    "no-build": { type: "boolean", default: false },
    "app-dir": { type: "string" },
    "provider-bound": { type: "string", default: "600" },
    browsers: { type: "string", default: "16" },
    history: { type: "string" },
  },
});

const durationS = Number(args.duration);
const seed = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a whole number ≥ 0, got "${args.seed}"`);
if (!(durationS >= QUIET_TAIL_S + 30)) fail(`--duration must be at least ${QUIET_TAIL_S + 30} s (faults, then a ${QUIET_TAIL_S} s quiet tail), got "${args.duration}"`);
const browsers = Number(args.browsers);
const appDir = args["app-dir"] ? path.resolve(args["app-dir"]) : ROOT;
const bounds = deriveBounds({ ...CHAOS_SETTINGS, providerBoundS: Number(args["provider-bound"]) });

/** @param {string} message */
function fail(message) {
  console.error(`chaos: ${message}`);
  process.exit(2);
}

/** @param {string} line */
const log = (line) => console.log(`chaos: ${line}`);

installCleanup();
const usernames = Object.fromEntries(Object.values(USERS).map((user) => [user.email, user.username]));
const history = new History({ secret: CHAOS_SETTINGS.secret, usernames });
log(`seed ${seed}, ${durationS} s, ${args.keycloak ? "Keycloak" : "built-in provider"}, app from ${path.relative(process.cwd(), appDir) || "."}`);
const stack = await startStack({ appDir, keycloak: args.keycloak, build: args.build && !args["no-build"], history, log });
log(`${stack.provider.name}, ${stack.liveApps().length} app instances, Redis behind a fault proxy${stack.buildMs ? `; build ${(stack.buildMs / 1000).toFixed(0)} s` : ""}`);

/** Unexpected errors of the harness itself (not the app's): shown, and they fail the run. */
const harnessErrors = /** @type {string[]} */ ([]);
/** @param {string} where @param {unknown} error */
const harnessError = (where, error) => {
  if (harnessErrors.length < 20) harnessErrors.push(`${where}: ${error instanceof Error ? error.stack?.split("\n").slice(0, 3).join(" | ") : String(error)}`);
};

let exitCode = 1;
try {
  history.startClock();
  const activeMs = (durationS - QUIET_TAIL_S) * 1000;
  const schedule = buildSchedule({ seed, activeMs, instances: stack.liveApps().length });
  const random = new Random(seed);
  const loot = new Loot();
  const people = Array.from({ length: browsers }, (_, i) => {
    const user = i % 2 === 0 ? USERS.alice : USERS.admin;
    return new Browser({ name: `${user.username}-${i}`, user, history, stack, random: random.fork(`browser-${i}`), loot });
  });
  const actors = [
    ...people,
    new Attacker({ name: "attacker-1", history, stack, random: random.fork("attacker-1"), loot }),
    new Attacker({ name: "attacker-2", history, stack, random: random.fork("attacker-2"), loot }),
    new Operator({ name: "operator", history, stack, random: random.fork("operator"), usernames: ["alice", "admin"] }),
  ];

  let stopping = false;
  const runs = actors.map((actor) => runActor(actor, () => stopping, (error) => harnessError(actor.name, error)));
  const lanes = ["provider", "store"].map((lane) =>
    runLane(stack, schedule.filter((f) => f.lane === lane), history, (error, fault) => harnessError(`fault ${fault.kind}`, error)),
  );
  const observer = (async () => {
    while (!stopping) {
      const entry = history.begin({ opId: 0, actor: "observer", role: "observer", op: "logout-queue", target: "store" });
      try {
        const queue = await stack.store.logoutQueue();
        history.finish(entry, { value: queue.mostForOneSid, detail: `${queue.size} pending` });
      } catch {
        history.finish(entry, { saw: "no-answer" });
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();

  const progress = setInterval(() => {
    const done = actors.reduce((sum, actor) => sum + actor.operations, 0);
    log(`${Math.round(history.now() / 1000)} s: ${done} operations, ${history.faults.length} faults`);
  }, 20_000);
  await new Promise((resolve) => setTimeout(resolve, durationS * 1000));
  stopping = true;
  clearInterval(progress);
  await Promise.all([...runs, ...lanes, observer]);

  // The tail: the provider must end every signed-out session within its bound; stop as soon as it has.
  const observeProvider = async () => {
    const entry = history.begin({ opId: 0, actor: "observer", role: "observer", op: "provider-sessions", target: "provider" });
    try {
      history.finish(entry, { alive: await stack.provider.sessions() });
    } catch (error) {
      history.finish(entry, { saw: "no-answer", detail: String(/** @type {Error} */ (error).message).slice(0, 80) });
    }
  };
  let lastNote = 0;
  while (true) {
    await observeProvider();
    const owed = owedProviderSessions(history.data(), bounds).filter((o) => o.alive !== false);
    if (!owed.length) break;
    const deadline = Math.max(...owed.map((o) => o.deadlineMs));
    if (history.now() >= deadline) break;
    if (history.now() - lastNote > 30_000) {
      lastNote = history.now();
      log(`waiting for the provider to end ${owed.length} signed-out session(s) (bound: ${Math.round((deadline - history.now()) / 1000)} s more)`);
    }
    await new Promise((resolve) => setTimeout(resolve, TAIL_POLL_MS));
  }

  const data = history.data();
  const violations = checkHistory(data, bounds);
  const logProblems = stack.logProblems();
  const operations = new Set(data.entries.filter((e) => ["user", "attacker", "operator"].includes(e.role)).map((e) => e.opId)).size;
  const faults = data.faults.length;
  const kindsMissing = FAULT_KINDS.filter((kind) => !data.faults.some((f) => f.kind === kind));

  const file = args.history ?? path.join(ROOT, ".tmp", "chaos", `history-${seed}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ seed, durationS, provider: stack.provider.name, bounds, ...data }));
  // The servers' logs beside the history (they never hold a token: the log rule above checks that).
  for (const [name, output] of Object.entries(stack.outputs())) {
    writeFileSync(file.replace(/\.json$/, `.${name.replace(/[^\w.-]+/g, "-")}.log`), output);
  }

  printOutcomes(data.entries);
  log(`faults: ${FAULT_KINDS.map((kind) => `${kind} ${data.faults.filter((f) => f.kind === kind).length}`).join(", ")}`);
  if (kindsMissing.length) harnessError("schedule", `fault kinds never injected: ${kindsMissing.join(", ")}`);
  violations.forEach((v, i) => {
    console.log(`\nviolation ${i + 1}, invariant ${v.invariant} (${v.title}): ${v.message}`);
    for (const f of v.faults) console.log(formatFault(f));
    for (const e of v.entries) console.log(formatEntry(e));
  });
  for (const problem of logProblems) console.log(`\nserver log: ${problem}`);
  for (const problem of harnessErrors) console.log(`\nharness: ${problem}`);
  log(`history in ${path.relative(process.cwd(), file)}; run took ${Math.round(history.now() / 1000)} s`);
  console.log(`chaos: ${operations} operations, ${faults} faults, ${violations.length} violations (seed ${seed})`);
  exitCode = violations.length || logProblems.length || harnessErrors.length ? 1 : 0;
} catch (error) {
  console.error(error);
} finally {
  await stack.stop();
}
process.exit(exitCode);

/**
 * One line per operation kind: how many requests, and what they saw.
 * @param {import("./history.mjs").Entry[]} entries
 */
function printOutcomes(entries) {
  /** @type {Map<string, Map<string, number>>} */
  const table = new Map();
  for (const e of entries) {
    if (e.role === "observer") continue;
    const key = `${e.role === "attacker" ? "replay " : ""}${e.op}${e.step ? `/${e.step}` : ""}`;
    const row = table.get(key) ?? new Map();
    const outcome = e.status === undefined ? (e.saw ?? "?") : `${e.status}${e.saw ? ` ${e.saw}` : ""}`;
    row.set(outcome, (row.get(outcome) ?? 0) + 1);
    table.set(key, row);
  }
  for (const [key, row] of [...table].sort()) {
    log(`  ${key}: ${[...row].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${n}× ${outcome}`).join(", ")}`);
  }
}
