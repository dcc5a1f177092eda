import { http, HttpResponse } from "msw";
import { isAppError } from "@/lib/errors";
import { ISSUER, testKeycloak } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const SESSIONS = `${ISSUER}/account/sessions`;
const keycloak = testKeycloak();

// Keycloak 26.7.5's answer for two sessions of one user (recorded; ids shortened).
const devices = [
  {
    os: "Linux",
    osVersion: "Unknown",
    device: "Other",
    lastAccess: 1796120200,
    current: true,
    sessions: [
      { id: "older", ipAddress: "10.0.0.2", started: 1796110000, lastAccess: 1796110100, expires: 1796146000, browser: "Firefox/140.0", clients: [{ clientId: "nextjs-app", clientName: "Next.js app" }] },
      { id: "mine", ipAddress: "127.0.0.1", started: 1796120197, lastAccess: 1796120200, expires: 1796156197, browser: "Chrome/142.0.0", current: true, clients: [{ clientId: "nextjs-app", clientName: "Next.js app" }] },
    ],
  },
];

describe("the user's Keycloak sessions (Account REST API)", () => {
  it("lists them with the user's bearer token, asking for JSON, this browser's first", async () => {
    let headers: Headers | undefined;
    server.use(
      http.get(`${SESSIONS}/devices`, ({ request }) => {
        headers = request.headers;
        return HttpResponse.json(devices);
      }),
    );
    const sessions = await keycloak.accountSessions("access-token");
    expect(headers?.get("authorization")).toBe("Bearer access-token");
    // Keycloak answers its account console (HTML) to a request that does not ask for JSON.
    expect(headers?.get("accept")).toBe("application/json");
    expect(sessions.map((s) => [s.id, s.current])).toEqual([
      ["mine", true],
      ["older", false],
    ]);
    expect(sessions[1]).toEqual({
      id: "older",
      device: "Linux",
      browser: "Firefox/140.0",
      ipAddress: "10.0.0.2",
      startedAt: 1796110000,
      lastAccessAt: 1796110100,
      expiresAt: 1796146000,
      current: false,
      apps: ["Next.js app"],
    });
  });

  it.each([401, 403])("reports Keycloak's %i as ACCOUNT_API_REFUSED (token without account audience or role)", async (status) => {
    server.use(http.get(`${SESSIONS}/devices`, () => HttpResponse.json({ error: "HTTP 401 Unauthorized" }, { status })));
    const error = await keycloak.accountSessions("t").catch((e: unknown) => e);
    expect(isAppError(error, "ACCOUNT_API_REFUSED")).toBe(true);
  });

  it("reports a 5xx or a network error as KEYCLOAK_UNAVAILABLE", async () => {
    server.use(http.get(`${SESSIONS}/devices`, () => new HttpResponse("down", { status: 503 })));
    expect(isAppError(await keycloak.accountSessions("t").catch((e: unknown) => e), "KEYCLOAK_UNAVAILABLE")).toBe(true);
    server.use(http.get(`${SESSIONS}/devices`, () => HttpResponse.error()));
    expect(isAppError(await keycloak.accountSessions("t").catch((e: unknown) => e), "KEYCLOAK_UNAVAILABLE")).toBe(true);
  });

  it("ends one session by id, and all of them with current=true", async () => {
    const deleted: string[] = [];
    server.use(
      http.delete(`${SESSIONS}/:id`, ({ params }) => (deleted.push(String(params.id)), new HttpResponse(null, { status: 204 }))),
      http.delete(SESSIONS, ({ request }) => (deleted.push(new URL(request.url).search), new HttpResponse(null, { status: 204 }))),
    );
    await keycloak.endAccountSession("t", "older");
    await keycloak.endAllAccountSessions("t");
    expect(deleted).toEqual(["older", "?current=true"]);
  });
});
