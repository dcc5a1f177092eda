import { randomUUID } from "node:crypto";
import type { SessionEndReason } from "@/types/sessionEnd";
import type { Clock } from "../clock";
import { isAppError } from "../errors";
import { log, shortId } from "../log";
import type { KeyValueStore } from "../store/keyValueStore";
import { storeKeys } from "./storeKeys";

/**
 * The one revocation core (Duende BFF's ISessionRevocationService, with `sub` and `sid` filters): every way an app
 * session ends is written here, and every session read asks `check` whether it has. It fails closed twice over:
 * - a store that lost its data (restart without persistence, FLUSHALL, an empty replica) gets a new generation;
 *   cookies carry the generation they were issued in, and one from an older generation is over (`store-reset`);
 * - a revocation the store did not take is kept by this instance, which refuses that session itself and writes
 *   it before anything else once the store is back (a read that needs the store flushes first; so does the
 *   background tick, every second).
 */

/** Why an app session ended (types/sessionEnd.ts, shared with the browser). */
export type EndReason = SessionEndReason;

/** What a revocation ends: one app session, every app session of a Keycloak session, or of a user until now. */
export type RevocationTarget = { sessionId: string } | { sid: string } | { sub: string };

/** What a session read knows of its session from the cookie. */
export interface SessionIdentity {
  sessionId: string;
  sid?: string;
  sub?: string;
  /** Sign-in time, epoch ms: a revocation by `sub` ends the sessions signed in before it. */
  signedInAtMs?: number;
  /** The store generation the session was issued in. */
  generation?: string;
}

/** A check's answer, with the session's stored token state read in the same round trip. */
export interface RevocationCheck {
  ended: EndReason | null;
  rawTokens: string | null;
}

/** Where a revocation went: the store, or (store down) this instance until the store answers again. */
export interface RevokeOutcome {
  recorded: "store" | "instance";
  /** False when this app session had already been revoked (a replayed sign-out, say). */
  first: boolean;
  /** Why it had been revoked before, when `first` is false and the store said (the new reason replaces it). */
  previous?: EndReason;
  /** With `deferAnnouncement`: tells the live streams now (see Revocation.revoke). */
  announce?: () => void;
}

/** The revocation core of one process. */
export interface Revocation {
  /**
   * Ends sessions; never throws for a store outage (the revocation is kept, see above). Live streams are told at
   * once, or with `deferAnnouncement` when the caller calls `announce` (a sign-out, once its Keycloak handshake is
   * over: the tab that signed out leaves for the signed-out page rather than being told it was signed out).
   */
  revoke(target: RevocationTarget, reason: EndReason, options?: { deferAnnouncement?: boolean }): Promise<RevokeOutcome>;
  /** Whether the session is over, and its stored tokens. Throws STORE_UNAVAILABLE: callers fail closed. */
  check(identity: SessionIdentity): Promise<RevocationCheck>;
  /** The store's generation, established if the store has none (sign-in writes it into the cookie). */
  generation(): Promise<string>;
  /** Writes the revocations kept while the store was down; throws STORE_UNAVAILABLE if it still is. */
  flush(): Promise<void>;
  /** Calls `listener` when this instance sees the store's data lost (a new generation). */
  onStoreReset(listener: (generation: string) => void): void;
  /** Calls `listener` after each revocation this instance made (recorded or kept): live streams are told at once. */
  onRevoked(listener: (target: RevocationTarget, reason: EndReason, atMs: number) => void): void;
  /** How many revocations this instance keeps for the store. */
  readonly keptCount: number;
}

/** Builds the revocation core over `store`; marks live as long as any app session can (`sessionMaxAgeS`). */
export function createRevocation(deps: { store: KeyValueStore; clock: Clock; sessionMaxAgeS: number }): Revocation {
  const { store, clock } = deps;
  const ttlMs = deps.sessionMaxAgeS * 1000;
  /** Revocations the store did not take: key -> value and when the mark would have expired. */
  const kept = new Map<string, { value: string; expiresAtMs: number }>();
  const resetListeners: ((generation: string) => void)[] = [];
  const revokedListeners: ((target: RevocationTarget, reason: EndReason, atMs: number) => void)[] = [];
  const tell = (target: RevocationTarget, reason: EndReason, atMs: number) => {
    for (const listener of revokedListeners) listener(target, reason, atMs);
  };
  let knownGeneration: string | undefined;

  const markOf = (target: RevocationTarget, reason: EndReason, atMs: number): { key: string; value: string } => {
    if ("sessionId" in target) return { key: storeKeys.revokedSession(target.sessionId), value: reason };
    if ("sid" in target) return { key: storeKeys.revokedSid(target.sid), value: reason };
    return { key: storeKeys.revokedSub(target.sub), value: `${atMs} ${reason}` };
  };

  const keptValue = (key: string): string | null => {
    const entry = kept.get(key);
    if (!entry) return null;
    if (entry.expiresAtMs <= clock.nowMs()) {
      kept.delete(key);
      return null;
    }
    return entry.value;
  };

  const seeGeneration = (generation: string) => {
    if (knownGeneration !== undefined && knownGeneration !== generation) {
      log.warn("STORE_RESET", {
        behaviour: "sessions issued before are over; their users sign in again",
        hint: "the store lost its data: give Redis persistence (README, production checklist)",
      });
      for (const listener of resetListeners) listener(generation);
    }
    knownGeneration = generation;
  };

  const establishGeneration = async (): Promise<string> => {
    const fresh = randomUUID();
    const generation = (await store.setIfAbsent(storeKeys.generation, fresh, GENERATION_TTL_MS))
      ? fresh
      : ((await store.get(storeKeys.generation)) ?? fresh);
    seeGeneration(generation);
    return generation;
  };

  /** Whether the store already holds a later user-wide mark than `value` (one written while this instance was cut off). */
  const laterSubMarkStored = async (key: string, value: string) => {
    if (!key.startsWith(storeKeys.revokedSub(""))) return false;
    const stored = await store.get(key);
    return stored !== null && Number(stored.split(" ")[0]) >= Number(value.split(" ")[0]);
  };

  const flush = async () => {
    for (const [key, entry] of [...kept]) {
      const remainingMs = entry.expiresAtMs - clock.nowMs();
      // A user-wide mark ends sessions signed in before its time: an older one must not replace a newer one.
      if (remainingMs > 0 && !(await laterSubMarkStored(key, entry.value))) await store.set(key, entry.value, remainingMs);
      kept.delete(key);
      log.info("REVOCATION_WRITTEN", { key: key.split(":").slice(0, 2).join(":"), behaviour: "kept while the store was down" });
    }
  };

  return {
    get keptCount() {
      return kept.size;
    },

    async revoke(target, reason, options = {}) {
      const atMs = clock.nowMs();
      const { key, value } = markOf(target, reason, atMs);
      const announced = (first: boolean) => {
        if (!first) return undefined;
        const announce = () => tell(target, reason, atMs);
        if (!options.deferAnnouncement) return void announce();
        return announce;
      };
      try {
        if (!("sessionId" in target)) {
          await store.set(key, value, ttlMs);
          return { recorded: "store", first: true, announce: announced(true) };
        }
        if (await store.setIfAbsent(key, value, ttlMs)) return { recorded: "store", first: true, announce: announced(true) };
        // Already over: say why it was, and record a later sign-out (after a refused refresh, say). A refused refresh
        // never replaces a reason: it is what any earlier end makes Keycloak answer.
        const previous = ((await store.get(key)) ?? undefined) as EndReason | undefined;
        if (previous !== reason && reason !== "refresh-refused") await store.set(key, value, ttlMs);
        return { recorded: "store", first: false, previous };
      } catch (error) {
        if (!isAppError(error, "STORE_UNAVAILABLE")) throw error;
        const previous = keptValue(key);
        if (previous === null || reason !== "refresh-refused") kept.set(key, { value, expiresAtMs: clock.nowMs() + ttlMs });
        log.error("REVOCATION_KEPT", {
          by: Object.keys(target)[0],
          reason,
          behaviour: "this instance refuses the session and writes the revocation when the store answers",
        });
        const first = "sessionId" in target ? previous === null : true;
        return { recorded: "instance", first, previous: first ? undefined : (previous as EndReason), announce: announced(first) };
      }
    },

    async check(identity) {
      const { sessionId, sid, sub } = identity;
      const signedInAtMs = identity.signedInAtMs ?? 0;
      const endedBySub = (mark: string | null) => mark !== null && Number(mark.split(" ")[0]) >= signedInAtMs;

      // What this instance kept answers first: it holds even while the store is down.
      if (kept.size) {
        const keptSession = keptValue(storeKeys.revokedSession(sessionId));
        if (keptSession) return { ended: keptSession as EndReason, rawTokens: null };
        const keptSid = sid ? keptValue(storeKeys.revokedSid(sid)) : null;
        if (keptSid) return { ended: keptSid as EndReason, rawTokens: null };
        const keptSub = sub ? keptValue(storeKeys.revokedSub(sub)) : null;
        if (endedBySub(keptSub)) return { ended: reasonOfSubMark(keptSub), rawTokens: null };
        await flush();
      }

      const [rawTokens, bySession, bySid, bySub, generation] = await store.getMany([
        storeKeys.tokens(sessionId),
        storeKeys.revokedSession(sessionId),
        storeKeys.revokedSid(sid ?? "none"),
        storeKeys.revokedSub(sub ?? "none"),
        storeKeys.generation,
      ]);
      const current = generation ?? (await establishGeneration());
      if (generation) seeGeneration(generation);
      if (identity.generation !== current) {
        log.info("SESSION_ENDED_BY_STORE_RESET", { session: shortId(sessionId) });
        return { ended: "store-reset", rawTokens: null };
      }
      if (bySession) return { ended: bySession as EndReason, rawTokens: null };
      if (sid && bySid) return { ended: bySid as EndReason, rawTokens: null };
      if (sub && endedBySub(bySub)) return { ended: reasonOfSubMark(bySub), rawTokens: null };
      return { ended: null, rawTokens };
    },

    async generation() {
      const generation = await store.get(storeKeys.generation);
      if (!generation) return establishGeneration();
      seeGeneration(generation);
      return generation;
    },

    flush,

    onStoreReset(listener) {
      resetListeners.push(listener);
    },

    onRevoked(listener) {
      revokedListeners.push(listener);
    },
  };
}

/** The generation lives as long as the store keeps its data (ten years is "for ever" without a TTL-less write). */
const GENERATION_TTL_MS = 10 * 365 * 24 * 3600 * 1000;

function reasonOfSubMark(mark: string | null): EndReason {
  return (mark?.split(" ")[1] as EndReason | undefined) ?? "keycloak-logout";
}
