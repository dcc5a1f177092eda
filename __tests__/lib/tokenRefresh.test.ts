import { http, HttpResponse } from "msw";
import { RefreshError, refreshTokens } from "@/lib/tokenRefresh";
import { CLIENT_ID, CLIENT_SECRET, ENDPOINTS, ISSUER } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const refresh = () =>
  refreshTokens({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: "rt-1", timeoutMs: 500 });

describe("refreshTokens", () => {
  it("performs the refresh_token grant and reports Keycloak's expiries", async () => {
    let form: URLSearchParams | undefined;
    server.use(
      http.post(ENDPOINTS.token, async ({ request }) => {
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({ access_token: "at-2", expires_in: 300, refresh_token: "rt-2", refresh_expires_in: 1800 });
      }),
    );
    const now = Math.floor(Date.now() / 1000);

    const tokens = await refresh();

    expect(form?.get("grant_type")).toBe("refresh_token");
    expect(form?.get("refresh_token")).toBe("rt-1");
    expect(form?.get("client_id")).toBe(CLIENT_ID);
    expect(tokens.accessToken).toBe("at-2");
    expect(tokens.refreshToken).toBe("rt-2");
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(now + 300);
    expect(tokens.refreshExpiresAt).toBeGreaterThanOrEqual(now + 1800);
  });

  it("keeps the old refresh token when Keycloak does not rotate it", async () => {
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.json({ access_token: "at-2", expires_in: 300 })));
    await expect(refresh()).resolves.toMatchObject({ refreshToken: "rt-1" });
  });

  it("reports invalid_grant (session not active) as the end of the session", async () => {
    server.use(
      http.post(ENDPOINTS.token, () =>
        HttpResponse.json({ error: "invalid_grant", error_description: "Session not active" }, { status: 400 }),
      ),
    );
    await expect(refresh()).rejects.toMatchObject({ name: "RefreshError", code: "INVALID_GRANT" });
  });

  it("reports a network failure as transient", async () => {
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.error()));
    const error = await refresh().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshError);
    expect(error).toMatchObject({ code: "UNAVAILABLE" });
  });

  it.each([
    [401, { error: "unauthorized_client" }],
    [429, { error: "too_many_requests" }],
    [404, {}],
  ])("does not end the session for a %i (not invalid_grant): transient", async (status, body) => {
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.json(body, { status })));
    await expect(refresh()).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });

  it("reports a 503 as transient", async () => {
    server.use(http.post(ENDPOINTS.token, () => new HttpResponse("down", { status: 503 })));
    await expect(refresh()).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
