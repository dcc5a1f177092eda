import { createHash, randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import type { KeycloakClientConfig } from "../keycloak/keycloakClient";
import { keycloakLogout } from "../keycloakLogout";
import { isAppError } from "../errors";
import { log, shortId } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";

/** A Keycloak logout that failed at sign-out and waits in the store for another try. */
export interface PendingLogout {
  idToken: string;
  sid?: string;
  /** When the user signed out (epoch ms). */
  signedOutAt: number;
  /** Tries so far, the one at sign-out included. */
  attempts: number;
}

/** What the queue works with. */
export interface LogoutQueueDeps {
  keycloak: Pick<KeycloakClientConfig, "issuer" | "clientId" | "logoutTimeoutMs">;
  store: KeyValueStore;
  clock: Clock;
  /** Past this long after sign-out the Keycloak session cannot exist any more (its SSO max), in seconds. */
  sessionMaxAgeS: number;
  /** Delay before each retry, in ms; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** At most this many Keycloak sessions wait; a sign-out beyond it is logged and not retried. */
  maxPending?: number;
}

/** The queue of Keycloak logouts to retry, shared by every instance through the store. */
export interface LogoutQueue {
  /**
   * Queues the logout of one Keycloak session (one entry per `sid`: a second sign-out of it replaces the first).
   * While the store is down the entry is kept by this instance and written by `resync` (never throws for that).
   */
  enqueue(pending: { idToken: string; sid?: string; signedOutAt: number }): Promise<{ stored: boolean }>;
  /** Retries the entries that are due, each by one instance at a time; returns how many it handled. */
  retryDue(): Promise<number>;
  /** Writes what this instance queued and the store does not have yet; throws STORE_UNAVAILABLE while it is down. */
  resync(): Promise<void>;
  /** The store lost its data: everything this instance queued and is not done with is written again at `resync`. */
  forgetStored(): void;
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 300_000] as const;
const DEFAULT_MAX_PENDING = 10_000;
const BATCH = 20;

const delayFor = (attempts: number, delays: readonly number[]) => delays[Math.min(attempts - 1, delays.length - 1)];

/** The queue's key for a Keycloak session: its `sid`, or a digest of the hint when the ID token has none. */
export function pendingKeyOf(pending: { idToken: string; sid?: string }): string {
  return pending.sid ?? `hint-${createHash("sha256").update(pending.idToken).digest("base64url").slice(0, 22)}`;
}

/**
 * Keeps failed Keycloak logouts in the store so that whichever instance is alive retries them, even after the one
 * that served the sign-out stopped; each instance also remembers what it queued until it is done, so a store that
 * loses its data (FLUSHALL, restart without persistence) does not lose a logout that instance still knows of.
 */
export function createLogoutQueue(deps: LogoutQueueDeps): LogoutQueue {
  const { store, clock } = deps;
  const delays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const max = deps.maxPending ?? DEFAULT_MAX_PENDING;
  const ttlMs = deps.sessionMaxAgeS * 1000;
  /** What this instance queued, by key, until it is done or too old (bounded like the store's queue). */
  const queuedHere = new Map<string, { record: PendingLogout; stored: boolean }>();

  const write = async (key: string, record: PendingLogout) => {
    await store.set(storeKeys.pendingLogout(key), JSON.stringify(record), ttlMs);
    await store.scheduleAt(storeKeys.logoutQueue, key, clock.nowMs() + delayFor(record.attempts, delays));
  };

  const done = async (key: string) => {
    queuedHere.delete(key);
    await store.unschedule(storeKeys.logoutQueue, key);
    await store.delete(storeKeys.pendingLogout(key));
  };

  const retryOne = async (key: string) => {
    const raw = await store.get(storeKeys.pendingLogout(key));
    const pending = raw ? (JSON.parse(raw) as PendingLogout) : null;
    if (!pending) return done(key);

    if (clock.nowMs() > pending.signedOutAt + ttlMs) {
      log.warn("KEYCLOAK_LOGOUT_GAVE_UP", { pending: shortId(key), reason: "past the session maximum; Keycloak's session has ended anyway" });
      return done(key);
    }
    if (pending.sid) {
      const signedInAt = await store.get(storeKeys.sidSignedIn(pending.sid));
      if (signedInAt !== null && Number(signedInAt) > pending.signedOutAt) {
        log.info("KEYCLOAK_LOGOUT_RETRY_DROPPED", { pending: shortId(key), reason: "signed in again" });
        return done(key);
      }
    }

    const result = await keycloakLogout(deps.keycloak, pending.idToken);
    if (result.ok || result.reason === "REJECTED") return done(key);
    const next = { ...pending, attempts: pending.attempts + 1 };
    if (queuedHere.has(key)) queuedHere.set(key, { record: next, stored: true });
    await write(key, next);
  };

  return {
    async enqueue(pending) {
      const key = pendingKeyOf(pending);
      const record: PendingLogout = { ...pending, attempts: 1 };
      if (queuedHere.size < max || queuedHere.has(key)) queuedHere.set(key, { record, stored: false });
      try {
        const alreadyQueued = (await store.get(storeKeys.pendingLogout(key))) !== null;
        if (!alreadyQueued && (await store.scheduleSize(storeKeys.logoutQueue)) >= max) {
          log.error("KEYCLOAK_LOGOUT_QUEUE_FULL", { max, behaviour: "not retried; the browser's next sign-in still asks for credentials" });
          queuedHere.delete(key);
          return { stored: false };
        }
        await write(key, record);
      } catch (error) {
        if (!isAppError(error, "STORE_UNAVAILABLE")) throw error;
        log.error("KEYCLOAK_LOGOUT_KEPT", { pending: shortId(key), behaviour: "this instance writes it to the queue when the store answers" });
        return { stored: false };
      }
      queuedHere.set(key, { record, stored: true });
      log.info("KEYCLOAK_LOGOUT_QUEUED", { pending: shortId(key) });
      return { stored: true };
    },

    async retryDue() {
      const due = await store.dueMembers(storeKeys.logoutQueue, clock.nowMs(), BATCH);
      let handled = 0;
      for (const key of due) {
        const owner = randomUUID();
        const lockKey = storeKeys.pendingLogoutLock(key);
        if (!(await store.setIfAbsent(lockKey, owner, deps.keycloak.logoutTimeoutMs + 5000))) continue;
        try {
          await retryOne(key);
          handled++;
        } finally {
          await store.deleteIfValue(lockKey, owner).catch(() => undefined);
        }
      }
      return handled;
    },

    async resync() {
      for (const [key, entry] of [...queuedHere]) {
        if (clock.nowMs() > entry.record.signedOutAt + ttlMs) {
          queuedHere.delete(key);
          continue;
        }
        if (entry.stored) continue;
        await write(key, entry.record);
        entry.stored = true;
        log.info("KEYCLOAK_LOGOUT_QUEUED", { pending: shortId(key), behaviour: "written after the store came back" });
      }
    },

    forgetStored() {
      for (const entry of queuedHere.values()) entry.stored = false;
    },
  };
}
