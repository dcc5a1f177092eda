import { delay, http, HttpResponse } from "msw";
import { keycloakLogout } from "@/lib/keycloakLogout";
import { CLIENT_ID, ENDPOINTS, ISSUER, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzaWQiOiJzZXNzaW9uLTEifQ.c2lnbmF0dXJlLXNlY3JldA";
const logout = (logoutTimeoutMs = 1000) => keycloakLogout(testKeycloak({ logoutTimeoutMs }), ID_TOKEN);

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  // Whatever the outcome, no log line may carry the token or the hint.
  for (const line of logs.lines()) {
    expect(line).not.toContain(ID_TOKEN);
    expect(line).not.toContain("id_token_hint");
  }
  logs.restore();
});

describe("keycloakLogout", () => {
  it("ends the Keycloak session with id_token_hint in a form POST, not in the URL", async () => {
    let received: { url: string; body: URLSearchParams } | undefined;
    server.use(
      http.post(ENDPOINTS.logout, async ({ request }) => {
        received = { url: request.url, body: new URLSearchParams(await request.text()) };
        return new HttpResponse("<html>You are logged out</html>", { status: 200, headers: { "Content-Type": "text/html" } });
      }),
    );

    const result = await logout();

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(received?.url).toBe(ENDPOINTS.logout);
    expect(received?.body.get("id_token_hint")).toBe(ID_TOKEN);
    expect(received?.body.get("client_id")).toBe(CLIENT_ID);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_OK .*status=200/);
  });

  it("counts a 302 to the post-logout page as success without following it", async () => {
    let followed = false;
    server.use(
      http.post(ENDPOINTS.logout, () => new HttpResponse(null, { status: 302, headers: { Location: "http://app.test/after" } })),
      http.get("http://app.test/after", () => {
        followed = true;
        return HttpResponse.text("app");
      }),
    );

    await expect(logout()).resolves.toMatchObject({ ok: true, status: 302 });
    expect(followed).toBe(false);
  });

  it.each([
    [400, "REJECTED", "Invalid parameter: id_token_hint"],
    [404, "REJECTED", '{"error":"Realm does not exist"}'],
    [500, "SERVER_ERROR", "Internal Server Error"],
    [503, "SERVER_ERROR", "Service Unavailable"],
  ])("reports a %i answer as a failure (%s)", async (status, reason, body) => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse(body, { status })));

    await expect(logout()).resolves.toMatchObject({ ok: false, reason, status });
    expect(logs.lines().join("\n")).toMatch(new RegExp(`KEYCLOAK_LOGOUT_FAILED reason=${reason}`));
  });

  it("gives up at the timeout when Keycloak hangs", async () => {
    server.use(http.post(ENDPOINTS.logout, async () => {
      await delay("infinite");
      return new HttpResponse(null, { status: 200 });
    }));

    const started = Date.now();
    const result = await logout(300);

    expect(result).toMatchObject({ ok: false, reason: "TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("reports a network error as a failure and does not throw", async () => {
    server.use(http.post(ENDPOINTS.logout, () => HttpResponse.error()));

    await expect(logout()).resolves.toMatchObject({ ok: false, reason: "NETWORK" });
  });

  it("reports a discovery failure without calling any logout endpoint", async () => {
    server.use(http.get(`${ISSUER}/.well-known/openid-configuration`, () => new HttpResponse(null, { status: 503 })));

    await expect(logout()).resolves.toMatchObject({ ok: false, reason: "DISCOVERY" });
  });
});
