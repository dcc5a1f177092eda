import {
  checkAnswers,
  checkHistory,
  checkLogoutQueueBound,
  checkPasswordAfterSignOut,
  checkProviderSessionsEnd,
  checkRevokedStayRevoked,
  deriveBounds,
  owedProviderSessions,
} from "@/chaos/check.mjs";
import type { Entry, FaultRecord, HistoryData, Identity } from "@/chaos/history.mjs";

const bounds = deriveBounds({ logoutTimeoutMs: 1500, refreshWaitMs: 1500, accessTokenTtlS: 60, providerBoundS: 600 });

const ALICE: Identity = { cookie: "c1", session: "s1", sid: "k1", sub: "u1", user: "alice" };
const ALICE_AGAIN: Identity = { cookie: "c2", session: "s2", sid: "k1", sub: "u1", user: "alice" };

let seq = 0;
/** One history entry; the defaults are a browser's session read on instance 0. */
function entry(fields: Partial<Entry> & Pick<Entry, "startMs">): Entry {
  seq += 1;
  return {
    seq,
    opId: seq,
    actor: "alice-0",
    role: "user",
    op: "session",
    target: "app",
    instance: 0,
    method: "GET",
    path: "/api/auth/session",
    endMs: fields.startMs + 10,
    status: 200,
    ...fields,
  };
}

const signIn = (startMs: number, issued: Identity, saw: "form" | "silent" = "form", opId = 1000 + startMs): Entry[] => [
  entry({ startMs, opId, op: "sign-in", step: "provider", target: "provider", saw }),
  entry({ startMs: startMs + 20, opId, op: "sign-in", step: "callback", status: 302, saw: "signed-in", issued, user: "alice" }),
];
const read = (startMs: number, carried: Identity, saw: Entry["saw"], actor = "alice-0"): Entry =>
  entry({ startMs, carried, saw, actor, role: actor.startsWith("attacker") ? "attacker" : "user" });
const signOut = (startMs: number, carried: Identity): Entry =>
  entry({ startMs, op: "sign-out", method: "POST", path: "/api/auth/signout", carried, saw: "signed-out" });
const fault = (kind: FaultRecord["kind"], startMs: number, endMs: number): FaultRecord => ({
  kind,
  lane: kind.startsWith("provider") ? "provider" : "store",
  startMs,
  endMs,
});
const history = (entries: Entry[], faults: FaultRecord[] = []): HistoryData => ({ entries, faults });

/** A run where everything held: sign-in, reads, sign-out, a replay refused, the provider session ended. */
function cleanRun(): HistoryData {
  return history([
    ...signIn(0, ALICE),
    read(100, ALICE, "signed-in"),
    signOut(200, ALICE),
    read(300, ALICE, "signed-out", "attacker-1"),
    ...signIn(400, ALICE_AGAIN, "form"),
    signOut(500, ALICE_AGAIN),
    entry({ startMs: 700_000, actor: "observer", role: "observer", op: "provider-sessions", target: "provider", alive: [] }),
    entry({ startMs: 700_000, actor: "observer", role: "observer", op: "logout-queue", target: "store", value: 1 }),
  ]);
}

describe("chaos checker", () => {
  it("finds no violation in a run where every promise held", () => {
    expect(checkHistory(cleanRun(), bounds)).toEqual([]);
  });

  describe("invariant 1: a revoked session stays revoked", () => {
    it("flags a replayed cookie served as signed in after its sign-out was answered", () => {
      const run = history([...signIn(0, ALICE), signOut(200, ALICE), read(5000, ALICE, "signed-in", "attacker-1")]);
      const [violation, ...more] = checkRevokedStayRevoked(run, bounds);
      expect(more).toEqual([]);
      expect(violation.invariant).toBe(1);
      expect(violation.message).toContain("after its sign-out");
      expect(violation.entries.map((e) => e.op).slice(-2)).toEqual(["sign-out", "session"]);
    });

    it("flags a revival after FLUSHALL: data loss gives no window", () => {
      const run = history([...signIn(0, ALICE), signOut(200, ALICE), read(20_000, ALICE, "signed-in", "attacker-1")], [fault("store-flushall", 10_000, 10_000)]);
      expect(checkRevokedStayRevoked(run, bounds)).toHaveLength(1);
    });

    it("allows a sign-out answered while the store was away until the store is back plus storeRecoveryMs, not after", () => {
      const away = [fault("store-refuse", 100, 3000)];
      const within = history([...signIn(0, ALICE), signOut(200, ALICE), read(3000 + bounds.storeRecoveryMs - 100, ALICE, "signed-in", "attacker-1")], away);
      const after = history([...signIn(0, ALICE), signOut(200, ALICE), read(3000 + bounds.storeRecoveryMs + 100, ALICE, "signed-in", "attacker-1")], away);
      expect(checkRevokedStayRevoked(within, bounds)).toEqual([]);
      expect(checkRevokedStayRevoked(after, bounds)[0].message).toContain("window");
    });

    it("flags sessions signed in before a sign out everywhere or a back-channel logout, and spares later ones", () => {
      const everywhere = entry({ startMs: 1000, op: "sign-out-everywhere", method: "POST", carried: ALICE_AGAIN, status: 204, saw: "signed-out" });
      const backchannel = entry({ startMs: 1000, actor: "provider", role: "provider", op: "backchannel", method: "POST", carried: { cookie: "-", sid: "k1" }, status: 200 });
      for (const revocation of [everywhere, backchannel]) {
        const later: Identity = { cookie: "c3", session: "s3", sid: "k9", sub: "u1", user: "alice" };
        const run = history([...signIn(0, ALICE), revocation, ...signIn(2000, later), read(3000, ALICE, "signed-in"), read(3100, later, "signed-in")]);
        const violations = checkRevokedStayRevoked(run, bounds);
        expect(violations).toHaveLength(1);
        expect(violations[0].message).toContain("session s1");
      }
    });

    it("gives Keycloak's admin logout until the access token expires, then flags", () => {
      const logout = entry({ startMs: 1000, actor: "operator", role: "operator", op: "admin-logout", target: "control", user: "alice", saw: "answered", status: undefined });
      const early = history([...signIn(0, ALICE), logout, read(1010 + bounds.tokenMs - 100, ALICE, "signed-in")]);
      const late = history([...signIn(0, ALICE), logout, read(1010 + bounds.tokenMs + 100, ALICE, "signed-in")]);
      expect(checkRevokedStayRevoked(early, bounds)).toEqual([]);
      expect(checkRevokedStayRevoked(late, bounds)).toHaveLength(1);
    });

    it("does not count a re-authentication callback that carries the old cookie and issues a new session", () => {
      const run = history([
        ...signIn(0, ALICE),
        signOut(200, ALICE),
        entry({ startMs: 300, op: "reauth", step: "callback", carried: ALICE, issued: ALICE_AGAIN, saw: "signed-in", status: 302 }),
      ]);
      expect(checkRevokedStayRevoked(run, bounds)).toEqual([]);
    });
  });

  describe("invariant 2: the password form after a sign-out", () => {
    it("flags a silent sign-in (prompt=none) right after a sign-out", () => {
      const run = history([...signIn(0, ALICE), signOut(200, ALICE), ...signIn(300, ALICE_AGAIN, "silent")]);
      const [violation] = checkPasswordAfterSignOut(run);
      expect(violation.invariant).toBe(2);
      expect(violation.entries[0].op).toBe("sign-out");
    });

    it("accepts the form, and a silent sign-in with no sign-out before it", () => {
      expect(checkPasswordAfterSignOut(history([...signIn(0, ALICE, "silent"), signOut(200, ALICE), ...signIn(300, ALICE_AGAIN, "form")]))).toEqual([]);
    });

    it("owes nothing for a provider login the app never learned of (its callback failed)", () => {
      const orphan = entry({ startMs: 150, opId: 77, op: "reauth", step: "provider", target: "provider", saw: "form" });
      const run = history([...signIn(0, ALICE), orphan, signOut(200, ALICE), ...signIn(300, ALICE_AGAIN, "silent")]);
      expect(checkPasswordAfterSignOut(run)).toEqual([]);
    });
  });

  describe("invariant 3: the provider session ends", () => {
    const observed = (startMs: number, alive: string[]) =>
      entry({ startMs, actor: "observer", role: "observer", op: "provider-sessions", target: "provider", alive });

    it("flags a signed-out provider session still alive past the bound after the provider came back", () => {
      const run = history([...signIn(0, ALICE), signOut(200, ALICE), observed(20_000 + bounds.providerMs + 1, ["k1"])], [fault("provider-503", 100, 20_000)]);
      const [violation] = checkProviderSessionsEnd(run, bounds);
      expect(violation.invariant).toBe(3);
    });

    it("waits while the bound runs, and owes nothing once someone signed into that session again", () => {
      const pending = history([...signIn(0, ALICE), signOut(200, ALICE), observed(60_000, ["k1"])], [fault("provider-503", 100, 20_000)]);
      expect(checkProviderSessionsEnd(pending, bounds)).toEqual([]);
      expect(owedProviderSessions(pending, bounds)).toEqual([expect.objectContaining({ sid: "k1", alive: true, deadlineMs: 20_000 + bounds.providerMs })]);
      const reused = history([...signIn(0, ALICE), signOut(200, ALICE), ...signIn(300, ALICE_AGAIN), observed(bounds.providerMs * 2, ["k1"])]);
      expect(owedProviderSessions(reused, bounds)).toEqual([]);
    });
  });

  describe("invariant 4: answers within bounds, no undocumented 5xx", () => {
    it("flags a 500 and a sign-out slower than its bound, once per kind with a count", () => {
      const run = history([
        entry({ startMs: 0, op: "sign-out", method: "POST", status: 500 }),
        entry({ startMs: 100, op: "sign-out", method: "POST", status: 500 }),
        entry({ startMs: 200, op: "sign-out", method: "POST", status: 200, endMs: 200 + bounds.answerMs["sign-out"] + 1 }),
      ]);
      const violations = checkAnswers(run, bounds);
      expect(violations.map((v) => v.message)).toEqual([expect.stringContaining("answered 500: 2 answers"), expect.stringContaining("slower than its bound")]);
    });

    it("accepts 503 anywhere and a request a killed instance never answered, and flags 502 (the app answers 503 for Keycloak)", () => {
      expect(checkAnswers(history([entry({ startMs: 0, op: "userinfo", status: 502 })]), bounds)).toHaveLength(1);
      const run = history(
        [
          entry({ startMs: 0, status: 503 }),
          entry({ startMs: 1000, status: undefined, saw: "no-answer", detail: "ECONNREFUSED", instance: 1 }),
        ],
        [{ ...fault("instance-kill", 900, 5000), instance: 1 }],
      );
      expect(checkAnswers(run, bounds)).toEqual([]);
    });
  });

  describe("invariant 5: replayed sign-outs queue nothing", () => {
    it("flags two pending logouts for one Keycloak session", () => {
      const sample = entry({ startMs: 5000, actor: "observer", role: "observer", op: "logout-queue", target: "store", value: 3, detail: "9 pending" });
      const [violation] = checkLogoutQueueBound(history([signOut(100, ALICE), sample]));
      expect(violation.invariant).toBe(5);
      expect(violation.message).toContain("3 pending Keycloak logouts for one sid");
    });
  });
});
