import { startIdp, type IdpServer } from "@/testing/idpServer.mjs";
import { startBackchannelReceiver, type BackchannelReceiver } from "@/testing/backchannelReceiver";
import { authorize, decodeJwt, login, tokenRequest } from "@/testing/oidcClient.mjs";

let idp: IdpServer;
let receiver: BackchannelReceiver;

beforeAll(async () => {
  receiver = await startBackchannelReceiver();
  idp = await startIdp({ env: { IDP_BACKCHANNEL_LOGOUT_URL: receiver.url } });
});

afterAll(async () => {
  await idp?.stop();
  await receiver?.close();
});

beforeEach(() => {
  receiver.mode = "ok";
  receiver.received.length = 0;
});

// The control API takes only JSON requests (idp/control.mjs).
const JSON_TYPE = { "content-type": "application/json" };

const logoutUrl = () => `${idp.issuer}/protocol/openid-connect/logout`;

function hintedLogout(idToken: string, extra: Record<string, string> = {}) {
  const url = new URL(logoutUrl());
  url.search = new URLSearchParams({ id_token_hint: idToken, ...extra }).toString();
  return fetch(url, { redirect: "manual" });
}

async function liveSids(): Promise<string[]> {
  const sessions = (await (await fetch(`${idp.origin}/_idp/sessions`)).json()) as Array<{ sid: string }>;
  return sessions.map((s) => s.sid);
}

async function refresh(refreshToken: string) {
  return tokenRequest(idp.issuer, { grant_type: "refresh_token", refresh_token: refreshToken });
}

describe("logout with id_token_hint", () => {
  it("ends the session for a valid id_token_hint without a browser cookie", async () => {
    const { tokens, jar } = await login({ issuer: idp.issuer });
    expect(await liveSids()).toContain(tokens.session_state);

    const response = await hintedLogout(tokens.id_token);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are logged out");

    expect(await liveSids()).not.toContain(tokens.session_state);
    const refreshed = await refresh(tokens.refresh_token);
    expect(refreshed).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "Session not active" } });
    const again = await authorize({ issuer: idp.issuer, jar });
    expect(again.result.kind).toBe("form");
  });

  it("sends a Keycloak-shaped back-channel logout token before answering", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    await hintedLogout(tokens.id_token);
    expect(receiver.received).toHaveLength(1);
    const [{ contentType, logoutToken }] = receiver.received;
    expect(contentType).toBe("application/x-www-form-urlencoded");
    const { header, payload } = decodeJwt(logoutToken);
    expect(header).toEqual({ alg: "RS256", typ: "logout+jwt", kid: expect.any(String) });
    expect(header.kid).toBe(decodeJwt(tokens.id_token).header.kid);
    expect(payload).toEqual({
      iss: idp.issuer,
      aud: "nextjs-app",
      iat: expect.any(Number),
      exp: payload.iat + 120,
      jti: expect.any(String),
      sub: decodeJwt(tokens.id_token).payload.sub,
      sid: tokens.session_state,
      typ: "Logout",
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    });
  });

  it("is idempotent: a second logout with the same hint still succeeds", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    expect((await hintedLogout(tokens.id_token)).status).toBe(200);
    const second = await hintedLogout(tokens.id_token);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("You are logged out");
  });

  it("redirects to a registered post_logout_redirect_uri with state", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const response = await hintedLogout(tokens.id_token, { post_logout_redirect_uri: "http://localhost:3000/signed-out", state: "s-1" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost:3000/signed-out?state=s-1");
    expect(await liveSids()).not.toContain(tokens.session_state);
  });

  it("refuses an unregistered post_logout_redirect_uri and ends nothing", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const response = await hintedLogout(tokens.id_token, { post_logout_redirect_uri: "http://evil.example/" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Invalid redirect uri");
    expect(await liveSids()).toContain(tokens.session_state);
  });

  it("rejects bad hints with 400 'Invalid parameter: id_token_hint' and ends nothing", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const [h, p, s] = tokens.id_token.split(".");
    const foreignPayload = Buffer.from(JSON.stringify({ ...decodeJwt(tokens.id_token).payload, iss: "http://localhost:1/realms/other" })).toString("base64url");
    const other = await startIdp();
    let otherIssuerToken: string;
    try {
      otherIssuerToken = (await login({ issuer: other.issuer })).tokens.id_token;
    } finally {
      await other.stop();
    }
    const cases: Array<[string, string, Record<string, string>?]> = [
      ["garbage", "not-a-jwt"],
      ["access token", tokens.access_token],
      ["refresh token", tokens.refresh_token],
      ["tampered signature", `${h}.${p}.${s.slice(0, -6)}AAAAAA`],
      ["tampered payload", `${h}.${foreignPayload}.${s}`],
      ["other issuer", otherIssuerToken],
      ["azp not client_id", tokens.id_token, { client_id: "another-client" }],
    ];
    for (const [, hint, extra] of cases) {
      const response = await hintedLogout(hint, extra);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Invalid parameter: id_token_hint");
    }
    expect(await liveSids()).toContain(tokens.session_state);
    expect(receiver.received).toHaveLength(0);
  });
});

describe("logout without a hint", () => {
  it("asks 'Do you want to log out?' and ends nothing until the user confirms", async () => {
    const { tokens, jar } = await login({ issuer: idp.issuer });
    const page = await jar.fetch(logoutUrl());
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Do you want to log out?");
    expect(await liveSids()).toContain(tokens.session_state);

    const confirmed = await jar.fetch(logoutUrl(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ confirmLogout: "true" }),
    });
    expect(confirmed.status).toBe(200);
    expect(await liveSids()).not.toContain(tokens.session_state);
  });
});

describe("logout with a refresh token", () => {
  function refreshTokenLogout(body: Record<string, string>, headers: Record<string, string> = {}) {
    return fetch(logoutUrl(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body),
    });
  }

  it("ends the session and answers 204 for client credentials and a refresh token", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const response = await refreshTokenLogout({ client_id: "nextjs-app", client_secret: "nextjs-app-secret", refresh_token: tokens.refresh_token });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await liveSids()).not.toContain(tokens.session_state);
    expect(receiver.received).toHaveLength(1);
  });

  it("accepts HTTP Basic client authentication", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const basic = `Basic ${Buffer.from("nextjs-app:nextjs-app-secret").toString("base64")}`;
    const response = await refreshTokenLogout({ refresh_token: tokens.refresh_token }, { authorization: basic });
    expect(response.status).toBe(204);
  });

  it("answers 400 invalid_grant for a bad refresh token", async () => {
    const response = await refreshTokenLogout({ client_id: "nextjs-app", client_secret: "nextjs-app-secret", refresh_token: "garbage" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("answers 401 for bad client credentials and ends nothing", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const response = await refreshTokenLogout({ client_id: "nextjs-app", client_secret: "wrong", refresh_token: tokens.refresh_token });
    expect(response.status).toBe(401);
    expect((await response.json()).error).toMatch(/^(unauthorized_client|invalid_client)$/);
    expect(await liveSids()).toContain(tokens.session_state);
  });
});

describe("control API", () => {
  it("logs a user out of every session like Keycloak's admin action, with back-channel logout", async () => {
    const first = await login({ issuer: idp.issuer, username: "admin", password: "admin-password" });
    const second = await login({ issuer: idp.issuer, username: "admin", password: "admin-password" });
    const response = await fetch(`${idp.origin}/_idp/users/admin/logout`, { method: "POST", headers: JSON_TYPE });
    expect(await response.json()).toEqual({ ended: 2 });
    const sids = await liveSids();
    expect(sids).not.toContain(first.tokens.session_state);
    expect(sids).not.toContain(second.tokens.session_state);
    const received = receiver.received.map((r) => decodeJwt(r.logoutToken).payload.sid);
    expect(received.sort()).toEqual([first.tokens.session_state, second.tokens.session_state].sort());
  });

  it("counts grants and logouts in /_idp/stats", async () => {
    await fetch(`${idp.origin}/_idp/stats/reset`, { method: "POST", headers: JSON_TYPE });
    const { tokens } = await login({ issuer: idp.issuer });
    await refresh(tokens.refresh_token);
    await hintedLogout("garbage");
    await hintedLogout(tokens.id_token);
    const stats = await (await fetch(`${idp.origin}/_idp/stats`)).json();
    expect(stats).toEqual({
      refreshGrants: 1,
      codeGrants: 1,
      logouts: { hinted: 1, refreshToken: 0, rejected: 1 },
      backchannel: { sent: 1, failed: 0, roundTripsMs: [expect.any(Number)] },
    });
  });

  it("hangs or fails the logout endpoint on request, then recovers", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const setFault = (body: object) =>
      fetch(`${idp.origin}/_idp/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    expect((await setFault({ endpoint: "logout", mode: "hang" })).status).toBe(200);
    await expect(fetch(logoutUrl(), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    // Other endpoints are untouched.
    expect((await fetch(`${idp.issuer}/.well-known/openid-configuration`)).status).toBe(200);

    await setFault({ endpoint: "logout", mode: "status503" });
    expect((await hintedLogout(tokens.id_token)).status).toBe(503);
    expect(await liveSids()).toContain(tokens.session_state);

    await fetch(`${idp.origin}/_idp/faults`, { method: "DELETE", headers: JSON_TYPE });
    expect((await hintedLogout(tokens.id_token)).status).toBe(200);
  });

  it("rejects an unknown fault with 400", async () => {
    const response = await fetch(`${idp.origin}/_idp/faults`, { method: "POST", headers: JSON_TYPE, body: JSON.stringify({ endpoint: "logout", mode: "explode" }) });
    expect(response.status).toBe(400);
  });
});
