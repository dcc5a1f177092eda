// @ts-check
// The seeded randomness of a chaos run: a small PRNG (mulberry32) and the fault schedule it draws. The same seed
// and duration give the same schedule and the same choices per actor; the interleaving with real time does not
// replay exactly (the servers' timing is not seeded), which is why a violation prints the history that shows it.

/**
 * mulberry32: a 32-bit seeded generator, uniform in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit hash of a label (FNV-1a), to derive independent streams from one seed.
 * @param {string} text
 */
function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A seeded random source with the helpers a schedule and an actor need. */
export class Random {
  /** @param {number} seed */
  constructor(seed) {
    this.seed = seed >>> 0;
    this.next = mulberry32(this.seed);
  }

  /** An integer in [lo, hi]. @param {number} lo @param {number} hi */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. @param {number} p */
  chance(p) {
    return this.next() < p;
  }

  /**
   * One element of `items`.
   * @template T
   * @param {readonly T[]} items
   * @returns {T}
   */
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /**
   * One key of `weights`, chosen in proportion to its weight (zero weights never).
   * @template {string} K
   * @param {Partial<Record<K, number>>} weights
   * @returns {K}
   */
  weighted(weights) {
    const entries = /** @type {[K, number][]} */ (Object.entries(weights).filter(([, w]) => Number(w) > 0));
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /**
   * `items` in a random order (a copy).
   * @template T
   * @param {readonly T[]} items
   */
  shuffle(items) {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** An independent stream for `label` (an actor, a lane): its choices do not depend on the others'. @param {string} label */
  fork(label) {
    return new Random(hash32(`${this.seed}:${label}`));
  }
}

/**
 * Faults against the identity provider (built-in or Keycloak): hang, 503, connection reset, restart.
 * @typedef {"provider-hang" | "provider-503" | "provider-reset" | "provider-restart"} ProviderFault
 */
/**
 * Faults against the shared store and the app instances: Redis paused (CLIENT PAUSE), refusing connections,
 * hanging (accepts, never answers), restarted without persistence, FLUSHALL; an app instance killed and restarted.
 * @typedef {"store-pause" | "store-refuse" | "store-hang" | "store-restart" | "store-flushall" | "instance-kill"} StoreFault
 */
/** @typedef {ProviderFault | StoreFault} FaultKind */

/** @type {readonly ProviderFault[]} */
export const PROVIDER_FAULTS = ["provider-hang", "provider-503", "provider-reset", "provider-restart"];
/** @type {readonly StoreFault[]} */
export const STORE_FAULTS = ["store-pause", "store-refuse", "store-hang", "store-restart", "store-flushall", "instance-kill"];
/** Every fault kind a default run injects at least once. */
export const FAULT_KINDS = /** @type {readonly FaultKind[]} */ ([...PROVIDER_FAULTS, ...STORE_FAULTS]);

/**
 * One scheduled fault: from `atMs` after the run's start, for `forMs` (0: instantaneous, e.g. FLUSHALL).
 * `endpoint` narrows a built-in provider fault ("all": every realm path); `instance` picks the app instance.
 * @typedef {{ atMs: number, forMs: number, kind: FaultKind, lane: "provider" | "store", endpoint?: "logout" | "token" | "all", instance?: number }} ScheduledFault
 */

/**
 * The fault schedule of a run: two independent lanes (the provider; the store and the app instances), each a
 * sequence of faults with healthy gaps between them, every kind at least once, none in the last `quietTailMs`.
 * A lane never overlaps itself: a store fault and an instance kill never coincide, so a revocation an instance
 * keeps in memory while the store is away is never lost with that instance (see chaos/README.md, "windows").
 * The provider lane is drawn first, so that store data loss can be aimed at its logout faults.
 * @param {{ seed: number, activeMs: number, instances: number, startMs?: number }} options
 * @returns {ScheduledFault[]}
 */
export function buildSchedule({ seed, activeMs, instances, startMs = 3000 }) {
  const random = new Random(seed).fork("schedule");
  /** @type {ScheduledFault[]} */
  const faults = [];
  /**
   * @param {"provider" | "store"} lane
   * @param {readonly FaultKind[]} kinds
   * @param {{ minMs: number, maxMs: number }} length
   * @param {{ minMs: number, maxMs: number }} gap
   */
  const fill = (lane, kinds, length, gap) => {
    const lanes = random.fork(lane);
    // Every kind once, in a random order, then random kinds until the active phase is over.
    const queue = lanes.shuffle(kinds);
    let at = startMs + lanes.int(0, 3000);
    while (true) {
      const mustPlace = queue.length > 0;
      const kind = queue.shift() ?? lanes.pick(kinds);
      const forMs = kind === "store-flushall" ? 0 : kind.endsWith("restart") || kind === "instance-kill" ? lanes.int(1500, 4000) : lanes.int(length.minMs, length.maxMs);
      // Data loss while Keycloak logouts wait in the store is the dangerous moment (issue 17): the first FLUSHALL
      // and restart, and half of the later ones, land during a fault on the provider's logout.
      if ((kind === "store-flushall" || kind === "store-restart") && (mustPlace || lanes.chance(0.5))) {
        const logoutFault = faults.find((f) => f.lane === "provider" && f.kind !== "provider-restart" && f.endpoint !== "token" && f.atMs + 1000 >= at);
        if (logoutFault) at = logoutFault.atMs + 1000 + lanes.int(0, logoutFault.forMs);
      }
      if (!mustPlace && at + forMs > activeMs) break;
      /** @type {ScheduledFault} */
      const fault = { atMs: at, forMs, kind, lane };
      if (lane === "provider" && kind !== "provider-restart") fault.endpoint = lanes.pick(/** @type {const} */ (["logout", "logout", "token", "all"]));
      if (kind === "instance-kill") fault.instance = lanes.int(0, instances - 1);
      faults.push(fault);
      at += forMs + lanes.int(gap.minMs, gap.maxMs);
    }
  };
  fill("provider", PROVIDER_FAULTS, { minMs: 2000, maxMs: 6000 }, { minMs: 3000, maxMs: 9000 });
  fill("store", STORE_FAULTS, { minMs: 1500, maxMs: 5000 }, { minMs: 6000, maxMs: 10000 });
  return faults.sort((a, b) => a.atMs - b.atMs);
}
