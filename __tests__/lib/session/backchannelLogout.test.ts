import { randomUUID } from "node:crypto";
import {
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWTPayload,
} from "jose";
import type { JWT } from "next-auth/jwt";
import type { KeycloakClient } from "@/lib/keycloak/keycloakClient";
import { acceptBackchannelLogout } from "@/lib/session/backchannelLogout";
import { createSessionLifecycle } from "@/lib/session/lifecycle";
import { createRevocation, type Revocation } from "@/lib/session/revocation";
import { SessionEndedError } from "@/lib/session/sessionEnded";
import { storeKeys } from "@/lib/session/storeKeys";
import { saveTokenState } from "@/lib/session/tokenState";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { testKeycloak } from "@/mocks/keycloak";
import { logoutClaims, REALM_KID as KID, signLogoutToken, setupRealmKeys } from "@/mocks/logoutTokens";
import { captureLogs } from "@/testing/captureLogs";
import { storeOutage } from "@/testing/storeOutage";
import { fakeClock } from "@/testing/testAuth";

const SESSION_MAX_AGE_S = 36_000;

const realm = setupRealmKeys();

const clock = fakeClock();
const nowS = () => Math.floor(Date.now() / 1000);
/** The generation of the store every test session was issued in. */
const GENERATION = "gen-1";
/** The app's Keycloak client, with the realm's keys held locally instead of fetched. */
const keycloak = (): KeycloakClient => ({ ...testKeycloak(), signingKeys: async () => realm.keys });
/** This instance's revocation core (built per test, over the test's store). */
let revocation: Revocation;
const deps = (store: KeyValueStore) => ({ keycloak: keycloak(), store, revocation });
/** The session reads of an instance sharing the store: the lifecycle asks the same revocation core. */
const lifecycle = (store: KeyValueStore) =>
  createSessionLifecycle({ keycloak: keycloak(), store, revocation, clock, refreshWaitMs: 500, sessionMaxAgeS: SESSION_MAX_AGE_S });
const claims = logoutClaims;

function sign(payload: JWTPayload, typ = "logout+jwt", key: CryptoKey = realm.realmKey.privateKey): Promise<string> {
  return signLogoutToken(payload, key, typ);
}

/** The memory store, recording every write that changed something. */
function recordingStore(): KeyValueStore & { writes: string[] } {
  const inner = createMemoryStore();
  const writes: string[] = [];
  return {
    ...inner,
    writes,
    async set(key, value, ttlMs) {
      writes.push(`set ${key}`);
      return inner.set(key, value, ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      const stored = await inner.setIfAbsent(key, value, ttlMs);
      if (stored) writes.push(`setIfAbsent ${key}`);
      return stored;
    },
    async delete(key) {
      writes.push(`delete ${key}`);
      return inner.delete(key);
    },
  };
}

/** An app session as the jwt callback holds it, with fresh server-side tokens (no refresh needed). */
async function liveSession(store: KeyValueStore, fields: { sid?: string; sub?: string; signedInAtMs?: number }): Promise<JWT> {
  const sessionId = randomUUID();
  await store.set(storeKeys.generation, GENERATION, SESSION_MAX_AGE_S * 1000);
  await saveTokenState(
    store,
    sessionId,
    { accessToken: "at", expiresAt: nowS() + 300, refreshToken: "rt", roles: { realm: ["user"], client: [] } },
    SESSION_MAX_AGE_S * 1000,
  );
  return {
    sub: fields.sub ?? "user-alice",
    sid: fields.sid,
    sessionId,
    provider: "keycloak",
    id_token: "id",
    refresh_token: "rt",
    generation: GENERATION,
    signedInAtMs: fields.signedInAtMs ?? clock.nowMs() - 60_000,
  } as JWT;
}

async function endedReason(token: JWT, store: KeyValueStore): Promise<string | undefined> {
  return lifecycle(store).continue(token).then(
    () => undefined,
    (error: unknown) => {
      expect(error).toBeInstanceOf(SessionEndedError);
      return (error as SessionEndedError).reason;
    },
  );
}

let store: ReturnType<typeof recordingStore>;
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  store = recordingStore();
  revocation = createRevocation({ store, clock, sessionMaxAgeS: SESSION_MAX_AGE_S });
  logs = captureLogs();
});

afterEach(async () => {
  logs.restore();
  await store.close();
});

describe("acceptBackchannelLogout ends sessions", () => {
  it("with sid: every app session of that Keycloak session, and no other", async () => {
    const first = await liveSession(store, { sid: "sid-alice-1" });
    const second = await liveSession(store, { sid: "sid-alice-1" });
    const otherDevice = await liveSession(store, { sid: "sid-alice-2" });
    await expect(lifecycle(store).continue(first)).resolves.toMatchObject({ roles: { realm: ["user"], client: [] } });

    const outcome = await acceptBackchannelLogout(await sign(claims()), deps(store));

    expect(outcome).toEqual({ ok: true, sid: "sid-alice-1", recorded: "store" });
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).toBe("keycloak-logout");
    expect(await endedReason(first, store)).toBe("keycloak-logout");
    expect(await endedReason(second, store)).toBe("keycloak-logout");
    expect(await endedReason(otherDevice, store)).toBeUndefined();
  });

  it("accepts the older Keycloak typ JWT the same way", async () => {
    const session = await liveSession(store, { sid: "sid-alice-1" });
    await expect(acceptBackchannelLogout(await sign(claims(), "JWT"), deps(store))).resolves.toMatchObject({ ok: true });
    expect(await endedReason(session, store)).toBe("keycloak-logout");
  });

  it("with only sub: the user's sessions started before it; later sessions and other users live on", async () => {
    const earlier = await liveSession(store, { sid: "sid-alice-1", signedInAtMs: clock.nowMs() - 60_000 });
    const earlierOtherSid = await liveSession(store, { sid: "sid-alice-2", signedInAtMs: clock.nowMs() - 5000 });
    const bob = await liveSession(store, { sub: "user-bob", sid: "sid-bob" });

    const outcome = await acceptBackchannelLogout(await sign(claims({ sid: undefined })), deps(store));
    expect(outcome).toEqual({ ok: true, sid: undefined, recorded: "store" });
    expect(await store.get(storeKeys.revokedSub("user-alice"))).toBe(`${clock.nowMs()} keycloak-logout`);

    // Signed in after the logout.
    clock.advance(1000);
    const later = await liveSession(store, { sid: "sid-alice-3", signedInAtMs: clock.nowMs() });
    expect(await endedReason(earlier, store)).toBe("keycloak-logout");
    expect(await endedReason(earlierOtherSid, store)).toBe("keycloak-logout");
    expect(await endedReason(bob, store)).toBeUndefined();
    expect(await endedReason(later, store)).toBeUndefined();
  });

  it("logs the acceptance without the token", async () => {
    const token = await sign(claims());
    await acceptBackchannelLogout(token, deps(store));
    expect(logs.lines().join("\n")).toMatch(/BACKCHANNEL_LOGOUT_ACCEPTED by=sid/);
    expect(logs.lines().join("\n")).not.toContain(token.split(".")[1]);
  });
});

describe("acceptBackchannelLogout with a store that fails", () => {
  it("writes the revocation before the replay mark", async () => {
    await acceptBackchannelLogout(await sign(claims()), deps(store));
    const written = store.writes.filter((write) => /revoked:|logout-jti:/.test(write));
    expect(written).toEqual([`set ${storeKeys.revokedSid("sid-alice-1")}`, expect.stringMatching(/^setIfAbsent logout-jti:/)]);
  });

  it("accepts Keycloak's redelivery when the store failed between the revocation and the replay mark", async () => {
    const token = await sign(claims());
    const markFails = storeOutage(store, /^logout-jti:/).store;
    await expect(acceptBackchannelLogout(token, { ...deps(store), store: markFails })).resolves.toMatchObject({ ok: true, recorded: "store" });
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).toBe("keycloak-logout");

    await expect(acceptBackchannelLogout(token, deps(store))).resolves.toMatchObject({ ok: true });
  });

  it("keeps the revocation in this instance while the store is down, ends the session there, and writes it when the store is back", async () => {
    const session = await liveSession(store, { sid: "sid-alice-1" });
    const otherDevice = await liveSession(store, { sid: "sid-alice-2" });
    const outage = storeOutage(store);
    const unreliable = outage.store;
    revocation = createRevocation({ store: unreliable, clock, sessionMaxAgeS: SESSION_MAX_AGE_S });

    await expect(acceptBackchannelLogout(await sign(claims()), deps(unreliable))).resolves.toEqual({ ok: true, sid: "sid-alice-1", recorded: "instance" });
    expect(await endedReason(session, unreliable)).toBe("keycloak-logout");
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).toBeNull();

    outage.heal();
    // The next read of another session writes what was kept before answering (so does the background tick).
    expect(await endedReason(otherDevice, unreliable)).toBeUndefined();
    expect(revocation.keptCount).toBe(0);
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).toBe("keycloak-logout");
  });
});

describe("acceptBackchannelLogout rejects, with LOGOUT_TOKEN_INVALID, and leaves the store unchanged", () => {
  const cases: [string, () => Promise<string>][] = [
    ["a signature made with another key", async () => sign(claims(), "logout+jwt", realm.otherKey.privateKey)],
    ["alg none", async () => new UnsecuredJWT(claims()).encode()],
    [
      "HS256 signed with the realm public key's bytes",
      () =>
        new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: KID, typ: "logout+jwt" }).sign(new TextEncoder().encode(realm.publicSpki)),
    ],
    ["a wrong iss", () => sign(claims({ iss: "http://evil.test/realms/nextjs" }))],
    ["a wrong aud", () => sign(claims({ aud: "another-client" }))],
    ["an expired token", () => sign(claims({ iat: nowS() - 600, exp: nowS() - 300 }))],
    ["a missing iat", () => sign(claims({ iat: undefined }))],
    ["missing events", () => sign(claims({ events: undefined }))],
    ["a wrong event URI", () => sign(claims({ events: { "http://schemas.openid.net/event/not-logout": {} } }))],
    ["a nonce", () => sign(claims({ nonce: "abc" }))],
    ["neither sub nor sid", () => sign(claims({ sub: undefined, sid: undefined }))],
    ["a garbage string", async () => "not-a-token"],
    ["an empty string", async () => ""],
    ["a JWE-shaped token", async () => "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aaaa.bbbb.cccc"],
    ["another typ (at+jwt)", () => sign(claims(), "at+jwt")],
  ];

  it.each(cases)("%s", async (_name, make) => {
    const session = await liveSession(store, { sid: "sid-alice-1" });
    const writesBefore = store.writes.length;

    const outcome = await acceptBackchannelLogout(await make(), deps(store));

    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatchObject({ code: "LOGOUT_TOKEN_INVALID" });
    expect(store.writes.slice(writesBefore)).toEqual([]);
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).toBeNull();
    expect(await store.get(storeKeys.revokedSub("user-alice"))).toBeNull();
    expect(await endedReason(session, store)).toBeUndefined();
  });

  it("a replayed jti: the second delivery of the same token changes nothing", async () => {
    const token = await sign(claims());
    await expect(acceptBackchannelLogout(token, deps(store))).resolves.toMatchObject({ ok: true });
    const markedAt = await store.get(storeKeys.revokedSid("sid-alice-1"));
    const writesBefore = store.writes.length;

    const replay = await acceptBackchannelLogout(token, deps(store));

    expect(replay.ok).toBe(false);
    expect(!replay.ok && replay.error).toMatchObject({ code: "LOGOUT_TOKEN_INVALID" });
    expect(!replay.ok && replay.error.message).toMatch(/replay/);
    expect(store.writes.slice(writesBefore)).toEqual([]);
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).toBe(markedAt);
  });

  it("a replayed jti in another token (same id, other sid) ends nothing more", async () => {
    const jti = randomUUID();
    await acceptBackchannelLogout(await sign(claims({ jti })), deps(store));
    const other = await liveSession(store, { sid: "sid-alice-2" });

    const replay = await acceptBackchannelLogout(await sign(claims({ jti, sid: "sid-alice-2" })), deps(store));

    expect(replay.ok).toBe(false);
    expect(await endedReason(other, store)).toBeUndefined();
  });
});
