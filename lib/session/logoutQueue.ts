import { randomUUID } from "node:crypto";
import { isAppError } from "../errors";
import type { KeycloakClient } from "../keycloak/keycloakClient";
import { keycloakLogout } from "../keycloakLogout";
import { describeUnknown, log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";

/** A Keycloak logout that failed at sign-out and waits in the store for another try. */
interface PendingLogout {
  idToken: string;
  sid?: string;
  /** When the user signed out (epoch ms). */
  signedOutAt: number;
  /** Tries so far, the one at sign-out included. */
  attempts: number;
}

/** What the queue works with. */
export interface LogoutQueueDeps {
  keycloak: KeycloakClient;
  store: KeyValueStore;
  /** Past this long after sign-out the Keycloak session cannot exist any more (its SSO max), in seconds. */
  sessionMaxAgeS: number;
  /** Delay before each retry, in ms; the last one repeats. */
  retryDelaysMs?: readonly number[];
  /** At most this many pending logouts are kept; a sign-out beyond it is logged and not retried. */
  maxPending?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 300_000] as const;
const DEFAULT_MAX_PENDING = 10_000;
const BATCH = 20;

const delayFor = (attempts: number, delays: readonly number[]) => delays[Math.min(attempts - 1, delays.length - 1)];

/**
 * Keeps a failed Keycloak logout in the store (shared by every instance with Redis) so that whichever instance is
 * alive retries it, even after the one that served the sign-out stopped.
 */
export async function enqueueLogout(
  pending: { idToken: string; sid?: string; signedOutAt: number },
  deps: LogoutQueueDeps,
): Promise<void> {
  const max = deps.maxPending ?? DEFAULT_MAX_PENDING;
  if ((await deps.store.scheduleSize(storeKeys.logoutQueue)) >= max) {
    log.error("KEYCLOAK_LOGOUT_QUEUE_FULL", { max, behaviour: "not retried; the browser's next sign-in still asks for credentials" });
    return;
  }
  const id = randomUUID();
  const record: PendingLogout = { ...pending, attempts: 1 };
  await deps.store.set(storeKeys.pendingLogout(id), JSON.stringify(record), deps.sessionMaxAgeS * 1000);
  await deps.store.scheduleAt(storeKeys.logoutQueue, id, Date.now() + delayFor(1, deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS));
  log.info("KEYCLOAK_LOGOUT_QUEUED", { pending: id.slice(0, 8) });
}

/**
 * Retries the pending logouts that are due, each by one instance at a time (a lock per entry), until Keycloak
 * confirms, rejects the hint, the user signed in again into that Keycloak session, or the session could no longer
 * exist. Returns how many entries it handled.
 */
export async function retryDueLogouts(deps: LogoutQueueDeps): Promise<number> {
  const { store } = deps;
  const due = await store.dueMembers(storeKeys.logoutQueue, Date.now(), BATCH);
  let handled = 0;
  for (const id of due) {
    const owner = randomUUID();
    const lockKey = storeKeys.pendingLogoutLock(id);
    if (!(await store.setIfAbsent(lockKey, owner, deps.keycloak.logoutTimeoutMs + 5000))) continue;
    try {
      await retryOne(id, deps);
      handled++;
    } finally {
      await store.deleteIfValue(lockKey, owner).catch(() => undefined);
    }
  }
  return handled;
}

async function retryOne(id: string, deps: LogoutQueueDeps): Promise<void> {
  const { store } = deps;
  const done = async () => {
    await store.unschedule(storeKeys.logoutQueue, id);
    await store.delete(storeKeys.pendingLogout(id));
  };
  const raw = await store.get(storeKeys.pendingLogout(id));
  const pending = raw ? (JSON.parse(raw) as PendingLogout) : null;
  if (!pending) return done();

  const short = id.slice(0, 8);
  if (Date.now() > pending.signedOutAt + deps.sessionMaxAgeS * 1000) {
    log.warn("KEYCLOAK_LOGOUT_GAVE_UP", { pending: short, reason: "past the session maximum; Keycloak's session has ended anyway" });
    return done();
  }
  if (pending.sid) {
    const signedInAt = await store.get(storeKeys.sidSignedIn(pending.sid));
    if (signedInAt !== null && Number(signedInAt) > pending.signedOutAt) {
      log.info("KEYCLOAK_LOGOUT_RETRY_DROPPED", { pending: short, reason: "signed in again" });
      return done();
    }
  }

  const result = await keycloakLogout(deps.keycloak, pending.idToken);
  if (result.ok || result.reason === "REJECTED") return done();
  const attempts = pending.attempts + 1;
  await store.set(storeKeys.pendingLogout(id), JSON.stringify({ ...pending, attempts }), deps.sessionMaxAgeS * 1000);
  await store.scheduleAt(storeKeys.logoutQueue, id, Date.now() + delayFor(attempts, deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS));
}

const POLL_MS = 1000;
const holder = globalThis as typeof globalThis & { __logoutWorker?: NodeJS.Timeout };

/** Starts this process's retry loop (once per process; the timer does not keep the process alive). */
export function startLogoutRetries(deps: () => LogoutQueueDeps): void {
  if (holder.__logoutWorker) return;
  let running = false;
  let failing = false;
  holder.__logoutWorker = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await retryDueLogouts(deps());
      failing = false;
    } catch (error) {
      // The store being down is already logged by the store; anything else once per streak of failures.
      if (!failing && !isAppError(error, "STORE_UNAVAILABLE")) log.error("KEYCLOAK_LOGOUT_RETRY_FAILED", describeUnknown(error));
      failing = true;
    } finally {
      running = false;
    }
  }, POLL_MS);
  holder.__logoutWorker.unref();
}
