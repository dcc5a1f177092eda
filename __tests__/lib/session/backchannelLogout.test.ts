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
import { continueSession, type LifecycleDeps } from "@/lib/session/lifecycle";
import { SessionEndedError } from "@/lib/session/sessionEnded";
import { storeKeys } from "@/lib/session/storeKeys";
import { saveTokenState } from "@/lib/session/tokenState";
import type { KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { testKeycloak } from "@/mocks/keycloak";
import { logoutClaims, REALM_KID as KID, signLogoutToken, setupRealmKeys } from "@/mocks/logoutTokens";
import { captureLogs } from "@/testing/captureLogs";

const SESSION_MAX_AGE_S = 36_000;

const realm = setupRealmKeys();

const nowS = () => Math.floor(Date.now() / 1000);
/** The app's Keycloak client, with the realm's keys held locally instead of fetched. */
const keycloak = (): KeycloakClient => ({ ...testKeycloak(), signingKeys: async () => realm.keys });
const deps = (store: KeyValueStore) => ({ keycloak: keycloak(), store, sessionMaxAgeS: SESSION_MAX_AGE_S });
const lifecycle = (store: KeyValueStore): LifecycleDeps => ({ keycloak: keycloak(), store, refreshWaitMs: 500, sessionMaxAgeS: SESSION_MAX_AGE_S });
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
async function liveSession(store: KeyValueStore, fields: { sid?: string; sub?: string; signedInAt?: number }): Promise<JWT> {
  const sessionId = randomUUID();
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
    signedInAt: fields.signedInAt ?? nowS() - 60,
  } as JWT;
}

async function endedReason(token: JWT, store: KeyValueStore): Promise<string | undefined> {
  return continueSession(token, lifecycle(store)).then(
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
    await expect(continueSession(first, lifecycle(store))).resolves.toMatchObject({ roles: { realm: ["user"], client: [] } });

    const outcome = await acceptBackchannelLogout(await sign(claims()), deps(store));

    expect(outcome).toEqual({ ok: true, sid: "sid-alice-1" });
    expect(await store.get(storeKeys.revokedSid("sid-alice-1"))).not.toBeNull();
    expect(await endedReason(first, store)).toBe("BACKCHANNEL_LOGOUT");
    expect(await endedReason(second, store)).toBe("BACKCHANNEL_LOGOUT");
    expect(await endedReason(otherDevice, store)).toBeUndefined();
  });

  it("accepts the older Keycloak typ JWT the same way", async () => {
    const session = await liveSession(store, { sid: "sid-alice-1" });
    await expect(acceptBackchannelLogout(await sign(claims(), "JWT"), deps(store))).resolves.toMatchObject({ ok: true });
    expect(await endedReason(session, store)).toBe("BACKCHANNEL_LOGOUT");
  });

  it("with only sub: the user's sessions started before it; later sessions and other users live on", async () => {
    const earlier = await liveSession(store, { sid: "sid-alice-1", signedInAt: nowS() - 60 });
    const earlierOtherSid = await liveSession(store, { sid: "sid-alice-2", signedInAt: nowS() - 5 });
    const bob = await liveSession(store, { sub: "user-bob", sid: "sid-bob" });

    const outcome = await acceptBackchannelLogout(await sign(claims({ sid: undefined })), deps(store));
    expect(outcome).toEqual({ ok: true, sid: undefined });
    expect(await store.get(storeKeys.revokedSub("user-alice"))).not.toBeNull();

    // Signed in after the logout: signedInAt (seconds) lies after the mark's time (ms).
    const later = await liveSession(store, { sid: "sid-alice-3", signedInAt: nowS() + 1 });
    expect(await endedReason(earlier, store)).toBe("BACKCHANNEL_LOGOUT");
    expect(await endedReason(earlierOtherSid, store)).toBe("BACKCHANNEL_LOGOUT");
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
