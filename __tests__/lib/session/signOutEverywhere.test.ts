import type { JWT } from "next-auth/jwt";
import { AppError } from "@/lib/errors";
import type { KeycloakClient } from "@/lib/keycloak/keycloakClient";
import { continueSession } from "@/lib/session/lifecycle";
import { SessionEndedError } from "@/lib/session/sessionEnded";
import { signOutEverywhere } from "@/lib/session/signOutEverywhere";
import { saveTokenState } from "@/lib/session/tokenState";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { testKeycloak } from "@/mocks/keycloak";

let store: KeyValueStore;
beforeEach(() => {
  store = createMemoryStore();
});
afterEach(() => store.close());

const nowS = () => Math.floor(Date.now() / 1000);

/** An app session of `sub` with fresh server-side tokens, signed in `agoS` seconds ago. */
async function appSession(sessionId: string, sub: string, agoS = 5): Promise<JWT> {
  await saveTokenState(store, sessionId, { accessToken: "at", expiresAt: nowS() + 300, refreshToken: "rt", roles: { realm: [], client: [] } }, 60_000);
  return { sub, sessionId, sid: `kc-${sessionId}`, refresh_token: "rt", signedInAt: nowS() - agoS };
}

describe("signOutEverywhere", () => {
  it("ends every Keycloak session of the user, then every app session of that user, and nobody else's", async () => {
    const ended: string[] = [];
    const keycloak: KeycloakClient = { ...testKeycloak(), endAllAccountSessions: async (token) => void ended.push(token) };
    const here = await appSession("here", "alice");
    const phone = await appSession("phone", "alice");
    const other = await appSession("other", "bob");

    await signOutEverywhere({ sub: "alice", accessToken: "alice-token" }, { keycloak, store, sessionMaxAgeS: 3600 });

    expect(ended).toEqual(["alice-token"]);
    const deps = { keycloak, store, refreshWaitMs: 500, sessionMaxAgeS: 3600 };
    await expect(continueSession(here, deps)).rejects.toBeInstanceOf(SessionEndedError);
    await expect(continueSession(phone, deps)).rejects.toBeInstanceOf(SessionEndedError);
    await expect(continueSession(other, deps)).resolves.toMatchObject({ sessionId: "other" });
  });

  it("changes nothing when Keycloak refuses or is down", async () => {
    const keycloak: KeycloakClient = {
      ...testKeycloak(),
      endAllAccountSessions: async () => Promise.reject(new AppError("KEYCLOAK_UNAVAILABLE", "down")),
    };
    const here = await appSession("here", "alice");
    await expect(signOutEverywhere({ sub: "alice", accessToken: "t" }, { keycloak, store, sessionMaxAgeS: 3600 })).rejects.toMatchObject({
      code: "KEYCLOAK_UNAVAILABLE",
    });
    await expect(continueSession(here, { keycloak, store, refreshWaitMs: 500, sessionMaxAgeS: 3600 })).resolves.toMatchObject({ sessionId: "here" });
  });
});
