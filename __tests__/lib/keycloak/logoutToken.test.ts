import {
  CompactEncrypt,
  SignJWT,
  UnsecuredJWT,
  exportJWK,
  type JWTPayload,
  type CryptoKey,
} from "jose";
import { http, HttpResponse } from "msw";
import { isAppError, type AppError } from "@/lib/errors";
import { remoteKeys, verifyLogoutToken, type LogoutTokenExpectations } from "@/lib/keycloak/logoutToken";
import { CLIENT_ID, ENDPOINTS, ISSUER } from "@/mocks/keycloak";
import { BACKCHANNEL_EVENT, logoutClaims, REALM_KID, signLogoutToken, setupRealmKeys } from "@/mocks/logoutTokens";
import { server } from "@/mocks/server";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const realm = setupRealmKeys();

const KID = REALM_KID;
const expected = (): LogoutTokenExpectations => ({ issuer: ISSUER, clientId: CLIENT_ID, keys: async () => realm.keys });
const nowS = () => Math.floor(Date.now() / 1000);
const keycloakClaims = logoutClaims;

/** Signs claims as the realm would (RS256, the realm kid, typ logout+jwt unless told otherwise). */
function sign(claims: JWTPayload, header: { typ?: string; key?: CryptoKey } = {}): Promise<string> {
  return signLogoutToken(claims, header.key ?? realm.realmKey.privateKey, header.typ);
}

async function rejection(token: string): Promise<AppError> {
  const error = await verifyLogoutToken(token, expected()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error, "LOGOUT_TOKEN_INVALID")).toBe(true);
  expect(error).toMatchObject({ status: 400 });
  return error as AppError;
}

describe("verifyLogoutToken accepts", () => {
  it("Keycloak 25+'s token (typ logout+jwt) and returns jti, exp, sub and sid", async () => {
    const claims = keycloakClaims();
    await expect(verifyLogoutToken(await sign(claims), expected())).resolves.toEqual({
      jti: claims.jti,
      exp: claims.exp,
      sub: "user-alice",
      sid: "sid-alice-1",
    });
  });

  it("the older Keycloak token with typ JWT", async () => {
    await expect(verifyLogoutToken(await sign(keycloakClaims(), { typ: "JWT" }), expected())).resolves.toMatchObject({ sid: "sid-alice-1" });
  });

  it("a token with only sub (session not required) or only sid", async () => {
    await expect(verifyLogoutToken(await sign(keycloakClaims({ sid: undefined })), expected())).resolves.toMatchObject({
      sub: "user-alice",
      sid: undefined,
    });
    await expect(verifyLogoutToken(await sign(keycloakClaims({ sub: undefined })), expected())).resolves.toMatchObject({
      sub: undefined,
      sid: "sid-alice-1",
    });
  });

  it("an audience array that contains the client id", async () => {
    await expect(verifyLogoutToken(await sign(keycloakClaims({ aud: ["other", CLIENT_ID] })), expected())).resolves.toBeDefined();
  });

  it("a token whose iat is a few seconds ahead (clock skew within 10 s)", async () => {
    await expect(verifyLogoutToken(await sign(keycloakClaims({ iat: nowS() + 5 })), expected())).resolves.toBeDefined();
  });

  it("a token verified with keys fetched from the issuer's jwks_uri", async () => {
    const jwk = { ...(await exportJWK(realm.realmKey.publicKey)), kid: KID, alg: "RS256", use: "sig" };
    server.use(http.get(ENDPOINTS.certs, () => HttpResponse.json({ keys: [jwk] })));
    const token = await sign(keycloakClaims());
    await expect(verifyLogoutToken(token, { ...expected(), keys: async () => remoteKeys(ENDPOINTS.certs) })).resolves.toMatchObject({ sid: "sid-alice-1" });
  });
});

describe("verifyLogoutToken rejects with LOGOUT_TOKEN_INVALID", () => {
  it("a signature made with another key", async () => {
    await rejection(await sign(keycloakClaims(), { key: realm.otherKey.privateKey }));
  });

  it("a signature made with another key under an unknown kid", async () => {
    const token = await new SignJWT(keycloakClaims())
      .setProtectedHeader({ alg: "RS256", kid: "attacker", typ: "logout+jwt" })
      .sign(realm.otherKey.privateKey);
    await rejection(token);
  });

  it("a tampered payload (claims changed after signing)", async () => {
    const [header, , signature] = (await sign(keycloakClaims())).split(".");
    const payload = Buffer.from(JSON.stringify(keycloakClaims({ sid: "someone-else" }))).toString("base64url");
    await rejection(`${header}.${payload}.${signature}`);
  });

  it("alg none (an unsecured JWT)", async () => {
    const token = new UnsecuredJWT(keycloakClaims()).encode();
    await rejection(token);
    const withTyp = `${Buffer.from(JSON.stringify({ alg: "none", typ: "logout+jwt", kid: KID })).toString("base64url")}.${token.split(".")[1]}.`;
    await rejection(withTyp);
  });

  it("HS256 signed with the bytes of the realm's public key (algorithm confusion)", async () => {
    const secret = new TextEncoder().encode(realm.publicSpki);
    const token = await new SignJWT(keycloakClaims())
      .setProtectedHeader({ alg: "HS256", kid: KID, typ: "logout+jwt" })
      .sign(secret);
    await rejection(token);
  });

  it("a wrong issuer", async () => {
    await rejection(await sign(keycloakClaims({ iss: "http://keycloak.test/realms/other" })));
  });

  it("a wrong audience", async () => {
    await rejection(await sign(keycloakClaims({ aud: "another-client" })));
  });

  it("an expired token (past the 10 s tolerance)", async () => {
    await rejection(await sign(keycloakClaims({ iat: nowS() - 300, exp: nowS() - 60 })));
  });

  it("a token without iat", async () => {
    await rejection(await sign(keycloakClaims({ iat: undefined })));
  });

  it("a token without exp", async () => {
    await rejection(await sign(keycloakClaims({ exp: undefined })));
  });

  it("a token without jti", async () => {
    await rejection(await sign(keycloakClaims({ jti: undefined })));
  });

  it("a token without events", async () => {
    const error = await rejection(await sign(keycloakClaims({ events: undefined })));
    expect(error.message).toMatch(/events/);
  });

  it("a token whose events name another event", async () => {
    await rejection(await sign(keycloakClaims({ events: { "http://schemas.openid.net/event/other": {} } })));
    await rejection(await sign(keycloakClaims({ events: { [BACKCHANNEL_EVENT]: "yes" } })));
    await rejection(await sign(keycloakClaims({ events: { [BACKCHANNEL_EVENT]: null } })));
  });

  it("a token with a nonce (an ID token is not a logout token)", async () => {
    const error = await rejection(await sign(keycloakClaims({ nonce: "n-1" })));
    expect(error.message).toMatch(/nonce/);
  });

  it("a token with neither sub nor sid", async () => {
    const error = await rejection(await sign(keycloakClaims({ sub: undefined, sid: undefined })));
    expect(error.message).toMatch(/sub nor sid/);
    await rejection(await sign(keycloakClaims({ sub: "", sid: "" })));
  });

  it("garbage strings", async () => {
    for (const garbage of ["", "garbage", "a.b.c", "eyJ.eyJ.x", "....", "%00%ff", "x".repeat(5000)]) {
      await rejection(garbage);
    }
  });

  it("a JWE (encrypted, not signed)", async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(keycloakClaims())))
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", typ: "logout+jwt" })
      .encrypt(crypto.getRandomValues(new Uint8Array(32)));
    expect(jwe.split(".")).toHaveLength(5);
    await rejection(jwe);
  });

  it("a correctly signed token of another type (an access token's at+jwt)", async () => {
    const error = await rejection(await sign(keycloakClaims(), { typ: "at+jwt" }));
    expect(error.message).toMatch(/typ/);
  });
});

describe("verifyLogoutToken bounds the token's age", () => {
  it.each([
    ["issued 10 minutes ago (exp still ahead)", { iat: nowS() - 600, exp: nowS() + 60 }],
    ["issued 10 minutes in the future", { iat: nowS() + 600, exp: nowS() + 720 }],
  ])("rejects a token %s", async (_name, times) => {
    await rejection(await sign(keycloakClaims(times)));
  });
});

describe("verifyLogoutToken when the issuer's keys cannot be fetched", () => {
  it.each([
    ["a 503 from jwks_uri", `${ISSUER}/protocol/openid-connect/certs-503`, () => new HttpResponse("down", { status: 503 })],
    ["a network error", `${ISSUER}/protocol/openid-connect/certs-reset`, () => HttpResponse.error()],
  ])("reports %s as ISSUER_KEYS_UNAVAILABLE, not as a bad token (the route answers 503)", async (_name, uri, answer) => {
    server.use(http.get(uri, answer));
    const error = await verifyLogoutToken(await sign(keycloakClaims()), { ...expected(), keys: async () => remoteKeys(uri) }).catch((e: unknown) => e);
    expect(isAppError(error, "ISSUER_KEYS_UNAVAILABLE")).toBe(true);
    expect(error).toMatchObject({ status: 503 });
  });
});

describe("verifyLogoutToken with the issuer's published keys", () => {
  it("rejects a token whose kid the issuer never published as a bad token (400), not as an outage", async () => {
    const jwk = { ...(await exportJWK(realm.realmKey.publicKey)), kid: KID, alg: "RS256", use: "sig" };
    const uri = `${ISSUER}/protocol/openid-connect/certs-unknown-kid`;
    server.use(http.get(uri, () => HttpResponse.json({ keys: [jwk] })));
    const forged = await signLogoutToken(keycloakClaims(), realm.otherKey.privateKey, "logout+jwt", "attacker");
    const error = await verifyLogoutToken(forged, { ...expected(), keys: async () => remoteKeys(uri) }).catch((e: unknown) => e);
    expect(isAppError(error, "LOGOUT_TOKEN_INVALID")).toBe(true);
  });
});

describe("verifyLogoutToken looks at the token before any network call", () => {
  it.each([
    ["junk", "not-a-token"],
    ["a token of another issuer", "other-issuer"],
    ["a token without the back-channel event", "no-event"],
  ])("rejects %s without locating the issuer's keys", async (_name, kind) => {
    let located = 0;
    const token =
      kind === "not-a-token"
        ? "not-a-token"
        : await sign(kind === "other-issuer" ? keycloakClaims({ iss: "http://evil.test/realms/nextjs" }) : keycloakClaims({ events: undefined }));
    const error = await verifyLogoutToken(token, { ...expected(), keys: async () => (located++, realm.keys) }).catch((e: unknown) => e);
    expect(isAppError(error, "LOGOUT_TOKEN_INVALID")).toBe(true);
    expect(located).toBe(0);
  });
});
