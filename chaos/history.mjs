// @ts-check
// The record of a chaos run: every request an actor, the provider's back-channel or an observer made, and every
// fault, on one clock (ms since the run began). A session cookie is never kept or printed: a request carries its
// identity instead, short hashes of the cookie value and of what the cookie holds (the app's sessionId, Keycloak's
// sid and sub), read with the stack's NEXTAUTH_SECRET as a thief holding that secret could.
import { createHash } from "node:crypto";
import { decode } from "next-auth/jwt";

/**
 * Who a session cookie says the visitor is, as hashes (never the raw values) plus the username.
 * @typedef {{ cookie: string, session?: string, sid?: string, sub?: string, user?: string }} Identity
 */

/**
 * What a request found. signed-in: the app served the request as that session's user (a page, a 403 for a
 * missing role, a redirect to re-authenticate, a userinfo answer, even a 503 KEYCLOAK_UNAVAILABLE: each means the app
 * accepted the session). signed-out: the app refused or cleared the session. unavailable: the documented answer
 * while the store (or Keycloak, for account calls) is away. form / silent / refused: what the provider did with a
 * sign-in (showed its password form, answered with a code at once, answered with an error).
 * @typedef {"signed-in" | "signed-out" | "unavailable" | "refresh-error" | "form" | "silent" | "refused" | "answered" | "failed" | "no-answer"} Seen
 */

/**
 * One request and its answer.
 * @typedef {{
 *   seq: number,
 *   opId: number,
 *   actor: string,
 *   role: "user" | "attacker" | "operator" | "provider" | "observer",
 *   op: string,
 *   step?: string,
 *   target: "app" | "provider" | "control" | "store",
 *   instance?: number,
 *   method?: string,
 *   path?: string,
 *   startMs: number,
 *   endMs: number,
 *   status?: number,
 *   saw?: Seen,
 *   user?: string,
 *   carried?: Identity,
 *   issued?: Identity,
 *   value?: number,
 *   alive?: string[],
 *   detail?: string,
 * }} Entry
 * `carried`: the session cookie the request sent; `issued`: a new session the response set (sign-in callback);
 * `value` / `alive`: what an observer read (logout-queue size; live provider sessions, as sid hashes).
 */

/**
 * A fault as it happened: injected at `startMs`, healed at `endMs` (equal for FLUSHALL).
 * @typedef {{ kind: import("./schedule.mjs").FaultKind, lane: "provider" | "store", startMs: number, endMs: number, instance?: number, endpoint?: string, detail?: string }} FaultRecord
 */

/** @typedef {{ entries: Entry[], faults: FaultRecord[] }} HistoryData */

/**
 * A short, stable, non-reversible name for a secret value (cookie, session id, sid).
 * @param {string} value
 */
export function hashId(value) {
  return createHash("sha256").update(value).digest("base64url").slice(0, 10);
}

/** The record of one run; `now()` is the run's clock. */
export class History {
  /** @type {Entry[]} */
  entries = [];
  /** @type {FaultRecord[]} */
  faults = [];
  #t0 = performance.now();
  #seq = 0;
  #opId = 0;
  /** @type {Map<string, Promise<Identity>>} */
  #identities = new Map();
  /** @type {Map<string, string>} */
  #usernames;
  #secret;

  /**
   * @param {{ secret: string, usernames: Record<string, string> }} options the stack's NEXTAUTH_SECRET, and each test
   *   user's email → username (the cookie holds the email)
   */
  constructor({ secret, usernames }) {
    this.#secret = secret;
    this.#usernames = new Map(Object.entries(usernames));
  }

  /** Starts the run's clock again (once the stack is up). */
  startClock() {
    this.#t0 = performance.now();
  }

  /** Milliseconds since the run began. */
  now() {
    return Math.round(performance.now() - this.#t0);
  }

  /** A new operation id: the requests of one actor action share it. */
  nextOp() {
    this.#opId += 1;
    return this.#opId;
  }

  /**
   * Starts an entry (its clock starts now); `finish` completes it.
   * @param {Omit<Entry, "seq" | "startMs" | "endMs">} fields
   * @returns {Entry}
   */
  begin(fields) {
    this.#seq += 1;
    const now = this.now();
    const entry = { ...fields, seq: this.#seq, startMs: now, endMs: now };
    this.entries.push(entry);
    return entry;
  }

  /**
   * Completes `entry` with what was seen; its clock stops now.
   * @param {Entry} entry
   * @param {Partial<Entry>} fields
   */
  finish(entry, fields) {
    Object.assign(entry, fields, { endMs: this.now() });
    return entry;
  }

  /**
   * Records a fault's start; call the returned function when it is healed.
   * @param {Omit<FaultRecord, "startMs" | "endMs">} fault
   * @returns {(detail?: string) => void}
   */
  faultStarted(fault) {
    const record = { ...fault, startMs: this.now(), endMs: Number.POSITIVE_INFINITY };
    this.faults.push(record);
    return (detail) => {
      record.endMs = this.now();
      if (detail) record.detail = detail;
    };
  }

  /**
   * The identity of a session cookie value (chunks already joined); undefined for no cookie.
   * @param {string | undefined} value
   * @returns {Promise<Identity | undefined>}
   */
  async identify(value) {
    if (!value) return undefined;
    let known = this.#identities.get(value);
    if (!known) {
      known = this.#decode(value);
      this.#identities.set(value, known);
    }
    return known;
  }

  /** @param {string} value */
  async #decode(value) {
    /** @type {Record<string, unknown> | null} */
    let token = null;
    try {
      token = await decode({ token: value, secret: this.#secret });
    } catch {
      // not a cookie this secret wrote: identified by its hash only
    }
    const text = (/** @type {unknown} */ field) => (typeof field === "string" && field ? field : undefined);
    const sessionId = text(token?.sessionId);
    const sid = text(token?.sid);
    const sub = text(token?.sub);
    const email = text(token?.email);
    return {
      cookie: hashId(value),
      ...(sessionId ? { session: hashId(sessionId) } : {}),
      ...(sid ? { sid: hashId(sid) } : {}),
      ...(sub ? { sub: hashId(sub) } : {}),
      ...(email && this.#usernames.has(email) ? { user: this.#usernames.get(email) } : {}),
    };
  }

  /** The history as plain data (for the checker, or `--history <file>`). @returns {HistoryData} */
  data() {
    return { entries: this.entries, faults: this.faults };
  }
}

/**
 * One line for a history entry, as a violation report shows it.
 * @param {Entry} e
 */
export function formatEntry(e) {
  const where = e.target === "app" ? `app${e.instance ?? "?"}` : e.target;
  const request = [e.method, e.path].filter(Boolean).join(" ");
  const carried = e.carried ? ` cookie=${e.carried.cookie} session=${e.carried.session ?? "-"} sid=${e.carried.sid ?? "-"}` : "";
  const issued = e.issued ? ` issued session=${e.issued.session ?? "-"} sid=${e.issued.sid ?? "-"}` : "";
  const value = e.value !== undefined ? ` value=${e.value}` : e.alive ? ` alive=[${e.alive.join(",")}]` : "";
  const detail = e.detail ? ` (${e.detail})` : "";
  return `  #${e.seq} ${pad(e.startMs)}-${pad(e.endMs)} ms ${e.actor} ${e.op}${e.step ? `/${e.step}` : ""} ${where} ${request} -> ${e.status ?? "-"} ${e.saw ?? ""}${e.user ? ` as ${e.user}` : ""}${carried}${issued}${value}${detail}`;
}

/**
 * One line for a fault.
 * @param {FaultRecord} f
 */
export function formatFault(f) {
  const target = f.instance !== undefined ? ` app${f.instance}` : f.endpoint ? ` ${f.endpoint}` : "";
  const end = Number.isFinite(f.endMs) ? pad(f.endMs) : "…";
  return `  fault ${pad(f.startMs)}-${end} ms ${f.kind}${target}${f.detail ? ` (${f.detail})` : ""}`;
}

/** @param {number} ms */
function pad(ms) {
  return String(ms).padStart(6);
}
