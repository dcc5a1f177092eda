import type { Clock } from "../clock";
import { describeError, log } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import type { EndReason, Revocation, RevocationTarget, SessionIdentity } from "./revocation";
import { parseTokenState } from "./tokenState";

/** The store channel every instance listens on for ended sessions. */
const CHANNEL = "session-ended";
/** When a timer's store check fails, it asks again after this long, in ms. */
const STORE_RETRY_MS = 5000;

/** A session some browser holds open, and when it ends by itself, epoch ms: its absolute end (sign-in plus the session
 * maximum), or sooner Keycloak's idle end (the refresh token's expiry) unless a refresh moves that later. */
export interface WatchedSession extends SessionIdentity {
  absoluteEndMs: number;
  idleEndMs?: number;
}

/** What an instance learns and tells its live streams. */
export interface SessionEvents {
  /**
   * Calls `onEnded` once, with the reason, when the session ends: revoked on any instance (store pub/sub, or this
   * instance directly), issued before the store lost its data, or its absolute end reached. Returns the stop.
   */
  watch(session: WatchedSession, onEnded: (reason: EndReason) => void): () => void;
  /** How many sessions this instance watches. */
  readonly watching: number;
}

interface Message {
  target: RevocationTarget;
  reason: EndReason;
  atMs: number;
}

/** Whether a revocation ends this session (the rules of Revocation.check, without a store read). */
function ends(target: RevocationTarget, atMs: number, session: SessionIdentity): boolean {
  if ("sessionId" in target) return target.sessionId === session.sessionId;
  if ("sid" in target) return target.sid === session.sid;
  return target.sub === session.sub && atMs >= (session.signedInAtMs ?? 0);
}

/**
 * The instance's side of live sessions: every revocation is published on the store's channel (Redis pub/sub across
 * instances, an in-process emitter with the memory store) and matched against the sessions this instance's browsers
 * hold open. Pub/sub delivers at most once: when the subscription comes back after an outage, every watched session
 * is checked against the store, so a revocation sent meanwhile is not missed.
 */
export function createSessionEvents(deps: { store: KeyValueStore; revocation: Revocation; clock: Clock }): SessionEvents {
  const { store, revocation, clock } = deps;
  const watchers = new Map<number, { session: WatchedSession; onEnded: (reason: EndReason) => void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  let unsubscribe: (() => void) | undefined;

  const end = (id: number, reason: EndReason) => {
    const watcher = watchers.get(id);
    if (!watcher) return;
    watchers.delete(id);
    clearTimeout(watcher.timer);
    watcher.onEnded(reason);
  };

  const dispatch = ({ target, reason, atMs }: Message) => {
    for (const [id, { session }] of watchers) if (ends(target, atMs, session)) end(id, reason);
  };

  const recheckAll = async () => {
    for (const [id, { session }] of [...watchers]) {
      try {
        const { ended } = await revocation.check(session);
        if (ended) end(id, ended);
      } catch (error) {
        log.warn("LIVE_SESSION_RECHECK_FAILED", describeError(error));
        return;
      }
    }
  };

  revocation.onRevoked((target, reason, atMs) => {
    const message: Message = { target, reason, atMs };
    dispatch(message);
    // Other instances hear it through the store; a store that is down loses the message, not the revocation.
    store.publish(CHANNEL, JSON.stringify(message)).catch(() => undefined);
  });
  revocation.onStoreReset((generation) => {
    for (const [id, { session }] of watchers) if (session.generation !== generation) end(id, "store-reset");
  });

  const subscribe = () => {
    unsubscribe ??= store.subscribe(
      CHANNEL,
      (raw) => {
        try {
          dispatch(JSON.parse(raw) as Message);
        } catch {
          log.warn("LIVE_SESSION_MESSAGE_INVALID");
        }
      },
      () => void recheckAll(),
    );
  };

  return {
    get watching() {
      return watchers.size;
    },
    watch(session, onEnded) {
      subscribe();
      const id = nextId++;
      /** A timer for the session's next end: its absolute end, or Keycloak's idle end if that comes first. */
      const schedule = (idleEndMs: number | undefined) => {
        const absolute = idleEndMs === undefined || idleEndMs >= session.absoluteEndMs;
        const atMs = absolute ? session.absoluteEndMs : idleEndMs;
        // setTimeout holds at most 2^31 - 1 ms (24.8 days); a session's maximum is far below.
        const timer = setTimeout(() => void (absolute ? end(id, "expired") : onIdleEnd()), Math.max(0, atMs - clock.nowMs()));
        timer.unref();
        return timer;
      };
      const onIdleEnd = async () => {
        const watcher = watchers.get(id);
        if (!watcher) return;
        const now = clock.nowMs();
        try {
          // The idle end came: a refresh since (any tab, any instance) moved it, or the session is over.
          const { ended, rawTokens } = await revocation.check(session);
          if (ended) return end(id, ended);
          const idleEndMs = (parseTokenState(rawTokens)?.refreshExpiresAt ?? 0) * 1000;
          if (idleEndMs <= now) return end(id, "expired");
          watcher.timer = schedule(idleEndMs);
        } catch {
          // The store is down: ask again in a while rather than tell a live session it ended.
          watcher.timer = schedule(Math.min(now + STORE_RETRY_MS, session.absoluteEndMs));
        }
      };
      const timer = schedule(session.idleEndMs);
      watchers.set(id, { session, onEnded, timer });
      // The read that opened the stream asked the store before this watch listened: a revocation in between (a
      // refresh can hold the read for seconds) was sent to nobody. Asked once more now; a store that is down leaves
      // it to the subscription's recheck when the store is back.
      revocation.check(session).then(
        ({ ended }) => ended && end(id, ended),
        () => undefined,
      );
      return () => {
        const watcher = watchers.get(id);
        if (watcher) clearTimeout(watcher.timer);
        watchers.delete(id);
      };
    },
  };
}
