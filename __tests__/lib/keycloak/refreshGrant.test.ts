import { http, HttpResponse } from "msw";
import { isAppError } from "@/lib/errors";
import { CLIENT_ID, ENDPOINTS, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const refresh = () => testKeycloak({ refreshTimeoutMs: 500 }).refresh("rt-1");

describe("refresh grant", () => {
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
    await expect(refresh()).rejects.toMatchObject({ code: "REFRESH_REFUSED", status: 401 });
  });

  it("reports a network failure as transient", async () => {
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.error()));
    const error = await refresh().catch((e: unknown) => e);
    expect(isAppError(error, "REFRESH_UNAVAILABLE")).toBe(true);
  });

  it.each([
    [401, { error: "unauthorized_client" }],
    [429, { error: "too_many_requests" }],
    [404, {}],
  ])("does not end the session for a %i (not invalid_grant): transient", async (status, body) => {
    server.use(http.post(ENDPOINTS.token, () => HttpResponse.json(body, { status })));
    await expect(refresh()).rejects.toMatchObject({ code: "REFRESH_UNAVAILABLE" });
  });

  it("reports a 503 as transient", async () => {
    server.use(http.post(ENDPOINTS.token, () => new HttpResponse("down", { status: 503 })));
    await expect(refresh()).rejects.toMatchObject({ code: "REFRESH_UNAVAILABLE" });
  });
});
