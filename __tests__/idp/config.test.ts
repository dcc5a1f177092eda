import { spawnSync } from "node:child_process";
import path from "node:path";
import { startIdp } from "@/testing/idpServer.mjs";
import { startBackchannelReceiver } from "@/testing/backchannelReceiver";
import { login } from "@/testing/oidcClient.mjs";

const SERVER = path.resolve(__dirname, "../../idp/server.mjs");

function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, [SERVER], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 10_000 });
}

describe("start-up configuration", () => {
  it.each([
    ["IDP_PORT", "abc"],
    ["IDP_ACCESS_TOKEN_TTL_S", "-5"],
    ["IDP_APP_URL", "not a url"],
    ["IDP_REVOKE_REFRESH_TOKEN", "yes"],
    ["IDP_REALM_FILE", "/nonexistent/realm.json"],
  ])("refuses to start when %s is %p, naming the variable", (name, value) => {
    const result = startWith({ IDP_PORT: "1", [name]: value });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(name);
  });

  it("moves the client's URLs to IDP_APP_URL so the app can run on another port", async () => {
    const idp = await startIdp({ appUrl: "http://localhost:3100" });
    try {
      expect(idp.output()).toContain("back-channel logout URL: http://localhost:3100/api/auth/backchannel-logout");
      const { tokens } = await login({ issuer: idp.issuer, redirectUri: "http://localhost:3100/api/auth/callback/keycloak" });
      const response = await fetch(
        `${idp.issuer}/protocol/openid-connect/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: "http://localhost:3100/" })}`,
        { redirect: "manual" },
      );
      expect(response.status).toBe(302);
      await expect(login({ issuer: idp.issuer })).rejects.toThrow();
    } finally {
      await idp.stop();
    }
  });

  it("answers the logout once a hanging back-channel receiver times out, and counts it as failed", async () => {
    const receiver = await startBackchannelReceiver();
    receiver.mode = "hang";
    const idp = await startIdp({ env: { IDP_BACKCHANNEL_LOGOUT_URL: receiver.url, IDP_BACKCHANNEL_TIMEOUT_MS: "800" } });
    try {
      const { tokens } = await login({ issuer: idp.issuer });
      const started = Date.now();
      const response = await fetch(`${idp.issuer}/protocol/openid-connect/logout?id_token_hint=${tokens.id_token}`);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(750);
      const stats = await (await fetch(`${idp.origin}/_idp/stats`)).json();
      expect(stats.backchannel).toEqual({ sent: 0, failed: 1, roundTripsMs: [] });
      expect(idp.output()).not.toContain(tokens.id_token);
    } finally {
      await idp.stop();
      await receiver.close();
    }
  });
});
