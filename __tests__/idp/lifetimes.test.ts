import { startIdp, type IdpServer } from "@/testing/idpServer.mjs";
import { CookieJar, authorize, decodeJwt, login, tokenRequest } from "@/testing/oidcClient.mjs";

/** Polls until `check` passes; lifetimes here are a few seconds, so no fixed sleeps. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 6000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("short lifetimes", () => {
  let idp: IdpServer;

  beforeAll(async () => {
    idp = await startIdp({ env: { IDP_ACCESS_TOKEN_TTL_S: "1", IDP_SSO_IDLE_S: "2", IDP_SSO_MAX_S: "60" } });
  });

  afterAll(async () => {
    await idp?.stop();
  });

  it("takes token lifetimes from the environment", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    expect(tokens.expires_in).toBe(1);
    expect(tokens.refresh_expires_in).toBe(2);
  });

  it("accepts an expired id_token_hint", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const { exp } = decodeJwt(tokens.id_token).payload;
    await eventually(async () => Date.now() / 1000 > exp + 0.1);
    const response = await fetch(`${idp.issuer}/protocol/openid-connect/logout?id_token_hint=${tokens.id_token}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are logged out");
  });

  it("ends an idle session: its refresh token stops working and sign-in asks for the password", async () => {
    const jar = new CookieJar();
    const { tokens } = await login({ issuer: idp.issuer, jar });
    const liveSids = async () => ((await (await fetch(`${idp.origin}/_idp/sessions`)).json()) as Array<{ sid: string }>).map((s) => s.sid);
    expect(await liveSids()).toContain(tokens.session_state);
    await eventually(async () => !(await liveSids()).includes(tokens.session_state));

    const refreshed = await tokenRequest(idp.issuer, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    // The refresh token expires with the idle timeout, so Keycloak reports the token, not the session.
    expect(refreshed).toEqual({ status: 400, body: { error: "invalid_grant", error_description: "Token is not active" } });
    expect((await authorize({ issuer: idp.issuer, jar })).result.kind).toBe("form");
  });

  it("resets the idle timer on each refresh", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    let refreshToken = tokens.refresh_token;
    const until = Date.now() + 2600;
    while (Date.now() < until) {
      const { status, body } = await tokenRequest(idp.issuer, { grant_type: "refresh_token", refresh_token: refreshToken });
      expect(status).toBe(200);
      expect(body.refresh_expires_in).toBe(2);
      refreshToken = body.refresh_token as string;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
});

describe("single-use refresh tokens (IDP_REVOKE_REFRESH_TOKEN=true)", () => {
  let idp: IdpServer;

  beforeAll(async () => {
    idp = await startIdp({ env: { IDP_REVOKE_REFRESH_TOKEN: "true" } });
  });

  afterAll(async () => {
    await idp?.stop();
  });

  it("rotates the refresh token, and a reused one ends the whole session", async () => {
    const { tokens } = await login({ issuer: idp.issuer });
    const first = await tokenRequest(idp.issuer, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(first.status).toBe(200);
    const rotated = first.body.refresh_token as string;
    expect(decodeJwt(rotated).payload.jti).not.toBe(decodeJwt(tokens.refresh_token).payload.jti);

    const reused = await tokenRequest(idp.issuer, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");

    const afterReuse = await tokenRequest(idp.issuer, { grant_type: "refresh_token", refresh_token: rotated });
    expect(afterReuse.status).toBe(400);
    expect(afterReuse.body).toMatchObject({ error: "invalid_grant", error_description: "Session not active" });
  });
});
