import { storeKeys } from "@/lib/session/storeKeys";
import type { JWT } from "next-auth/jwt";
import { AppError } from "@/lib/errors";
import type { KeycloakClient } from "@/lib/keycloak/keycloakClient";
import { createSessionLifecycle, type SessionLifecycle } from "@/lib/session/lifecycle";
import { createRevocation, type Revocation } from "@/lib/session/revocation";
import { SessionEndedError } from "@/lib/session/sessionEnded";
import { signOutEverywhere } from "@/lib/session/signOutEverywhere";
import { saveTokenState } from "@/lib/session/tokenState";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { testKeycloak } from "@/mocks/keycloak";
import { fakeClock } from "@/testing/testAuth";

const SESSION_MAX_AGE_S = 3600;

let store: KeyValueStore;
let revocation: Revocation;
const clock = fakeClock();
beforeEach(() => {
  store = createMemoryStore();
  revocation = createRevocation({ store, clock, sessionMaxAgeS: SESSION_MAX_AGE_S });
});
afterEach(() => store.close());

const nowS = () => Math.floor(clock.nowMs() / 1000);

/** The session reads of an instance sharing the store and the revocation core. */
const lifecycle = (keycloak: KeycloakClient): SessionLifecycle =>
  createSessionLifecycle({ keycloak, store, revocation, clock, refreshWaitMs: 500, sessionMaxAgeS: SESSION_MAX_AGE_S });

/** An app session of `sub` with fresh server-side tokens, signed in `agoS` seconds ago. */
async function appSession(sessionId: string, sub: string, agoS = 5): Promise<JWT> {
  await saveTokenState(store, sessionId, { accessToken: "at", expiresAt: nowS() + 300, refreshToken: "rt", roles: { realm: [], client: [] } }, 60_000);
  const generation = await revocation.generation();
  return { sub, sessionId, sid: `kc-${sessionId}`, refresh_token: "rt", generation, signedInAtMs: clock.nowMs() - agoS * 1000 };
}

const endedReason = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => {
      expect(error).toBeInstanceOf(SessionEndedError);
      return (error as SessionEndedError).reason;
    },
  );

describe("signOutEverywhere", () => {
  it("ends every Keycloak session of the user, then every app session of that user, and nobody else's", async () => {
    const ended: string[] = [];
    const keycloak: KeycloakClient = { ...testKeycloak(), endAllAccountSessions: async (token) => void ended.push(token) };
    const here = await appSession("here", "alice");
    const phone = await appSession("phone", "alice");
    const other = await appSession("other", "bob");

    await signOutEverywhere({ sub: "alice", accessToken: "alice-token" }, { keycloak, revocation, store });

    expect(ended).toEqual(["alice-token"]);
    const sessions = lifecycle(keycloak);
    expect(await endedReason(sessions.continue(here))).toBe("signed-out-everywhere");
    expect(await endedReason(sessions.continue(phone))).toBe("signed-out-everywhere");
    await expect(sessions.continue(other)).resolves.toMatchObject({ sessionId: "other" });
  });

  it("leaves the user's sessions signed in after it alone", async () => {
    const keycloak: KeycloakClient = { ...testKeycloak(), endAllAccountSessions: async () => undefined };
    await signOutEverywhere({ sub: "alice", accessToken: "alice-token" }, { keycloak, revocation, store });
    clock.advance(1000);
    const later = await appSession("later", "alice", 0);
    await expect(lifecycle(keycloak).continue(later)).resolves.toMatchObject({ sessionId: "later" });
  });

  it("changes nothing when Keycloak refuses or is down", async () => {
    const keycloak: KeycloakClient = {
      ...testKeycloak(),
      endAllAccountSessions: async () => Promise.reject(new AppError("KEYCLOAK_UNAVAILABLE", "down")),
    };
    const here = await appSession("here", "alice");
    await expect(signOutEverywhere({ sub: "alice", accessToken: "t" }, { keycloak, revocation, store })).rejects.toMatchObject({
      code: "KEYCLOAK_UNAVAILABLE",
    });
    await expect(lifecycle(keycloak).continue(here)).resolves.toMatchObject({ sessionId: "here" });
  });
});

describe("the back-channel logouts Keycloak sends during a sign out everywhere", () => {
  it("end the sessions as signed out everywhere, so open tabs are told the true reason", async () => {
    const told: string[] = [];
    revocation.onRevoked((_target, reason) => told.push(reason));
    const keycloak: KeycloakClient = {
      ...testKeycloak(),
      // Keycloak ends each session and calls the back-channel URL before the Account API call returns.
      endAllAccountSessions: async () => {
        const under = await store.get(storeKeys.everywhereUnderWay("alice"));
        told.push(under ? "under-way" : "not-marked");
      },
    };
    await signOutEverywhere({ sub: "alice", accessToken: "t" }, { keycloak, revocation, store });
    expect(told).toEqual(["under-way", "signed-out-everywhere"]);
    // A later admin logout of the same user is told as what it is.
    expect(await store.get(storeKeys.everywhereUnderWay("alice"))).toBeNull();
  });
});
