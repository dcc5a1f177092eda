import { http, HttpResponse } from "msw";
import type { NextApiHandler } from "next";
import type { Auth } from "@/lib/auth";
import { storeUnavailable, type KeyValueStore } from "@/lib/store/keyValueStore";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { ENDPOINTS, ISSUER } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { callApiRoute } from "@/testing/apiRoute";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";
import { createTestAuth, signInForTest } from "@/testing/testAuth";
import { createAccountSessionsRoute } from "@/pages/api/account/sessions";
import { createEndAccountSessionRoute } from "@/pages/api/account/sessions/[id]";
import { createSignOutEverywhereRoute } from "@/pages/api/account/sign-out-everywhere";
import { createUserinfoRoute } from "@/pages/api/keycloak/userinfo";

setupMswServer();

/** Every route that acts for the signed-in user, with the request that reaches its logic and the Keycloak call it makes. */
const ROUTES: {
  name: string;
  route: (auth: () => Auth) => NextApiHandler;
  request: Parameters<typeof callApiRoute>[1];
  keycloak: (status: number) => ReturnType<typeof http.get>;
  success: number;
}[] = [
  {
    name: "GET /api/account/sessions",
    route: createAccountSessionsRoute,
    request: { method: "GET" },
    keycloak: (status) => http.get(`${ISSUER}/account/sessions/devices`, () => (status === 200 ? HttpResponse.json([]) : new HttpResponse(null, { status }))),
    success: 200,
  },
  {
    name: "DELETE /api/account/sessions/:id",
    route: createEndAccountSessionRoute,
    request: { method: "DELETE", query: { id: "other-session" } },
    keycloak: (status) => http.delete(`${ISSUER}/account/sessions/other-session`, () => new HttpResponse(null, { status: status === 200 ? 204 : status })),
    success: 204,
  },
  {
    name: "POST /api/account/sign-out-everywhere",
    route: createSignOutEverywhereRoute,
    request: { method: "POST", headers: { "content-type": "application/json" }, body: {} },
    keycloak: (status) => http.delete(`${ISSUER}/account/sessions`, () => new HttpResponse(null, { status: status === 200 ? 204 : status })),
    success: 204,
  },
  {
    name: "GET /api/keycloak/userinfo",
    route: createUserinfoRoute,
    request: { method: "GET" },
    keycloak: (status) => http.get(ENDPOINTS.userinfo, () => (status === 200 ? HttpResponse.json({ sub: "user-1", email: "alice@example.com" }) : new HttpResponse(null, { status }))),
    success: 200,
  },
];

/** The store as the app sees it when Redis does not answer. */
function unreachable(store: KeyValueStore): KeyValueStore {
  const fail = () => Promise.reject(storeUnavailable("Redis did not answer"));
  return { ...store, get: fail, getMany: fail, set: fail, setIfAbsent: fail };
}

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe.each(ROUTES)("$name", ({ route, request, keycloak, success }) => {
  async function call(setup: { storeDown?: boolean; ended?: boolean; keycloakStatus?: number; cookie?: boolean } = {}) {
    const store = createMemoryStore();
    const auth = createTestAuth({ store });
    const { cookie, token } = await signInForTest(auth);
    if (setup.ended) await auth.revocation.revoke({ sessionId: token.sessionId! }, "signed-out-everywhere");
    const served = setup.storeDown ? createTestAuth({ store: unreachable(store) }) : auth;
    server.use(keycloak(setup.keycloakStatus ?? 200));
    const response = await callApiRoute(route(() => served), {
      ...request,
      headers: { ...request?.headers, ...(setup.cookie === false ? {} : { cookie }) },
    });
    return { status: response.status, body: response.body ? JSON.parse(response.body) : null };
  }

  it("does its work for a signed-in user", async () => {
    expect((await call()).status).toBe(success);
  });

  it("answers 401 SESSION_ENDED without a session", async () => {
    expect(await call({ cookie: false })).toEqual({ status: 401, body: { error: "SESSION_ENDED", message: "Your session has ended. Please sign in again." } });
  });

  it("answers 401 SESSION_ENDED for a session ended elsewhere, not an outage", async () => {
    expect(await call({ ended: true })).toMatchObject({ status: 401, body: { error: "SESSION_ENDED" } });
  });

  it("answers 503 STORE_UNAVAILABLE when the session store does not answer, naming the store", async () => {
    const { status, body } = await call({ storeDown: true });
    expect(status).toBe(503);
    expect(body.error).toBe("STORE_UNAVAILABLE");
    expect(body.message).toMatch(/session store is unavailable/);
  });

  it("answers 503 KEYCLOAK_UNAVAILABLE when Keycloak fails, naming Keycloak", async () => {
    const { status, body } = await call({ keycloakStatus: 500 });
    expect(status).toBe(503);
    expect(body).toEqual({ error: "KEYCLOAK_UNAVAILABLE", message: "Keycloak could not be reached. Nothing was changed; please try again in a moment." });
  });
});

describe.each(ROUTES.filter(({ name }) => name.includes("/account/")))("$name when Keycloak refuses the token", ({ route, request, keycloak }) => {
  it("answers 403 ACCOUNT_API_REFUSED with what to do", async () => {
    const auth = createTestAuth();
    const { cookie } = await signInForTest(auth);
    server.use(keycloak(403));
    const response = await callApiRoute(route(() => auth), { ...request, headers: { ...request?.headers, cookie } });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: "ACCOUNT_API_REFUSED", message: expect.stringMatching(/manage-account/) });
  });
});

describe("every route", () => {
  it.each(ROUTES)("$name refuses another method with 405, Allow and the one error body", async ({ route, request }) => {
    const auth = createTestAuth();
    const response = await callApiRoute(route(() => auth), { method: request?.method === "GET" ? "PUT" : "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(request?.method);
    expect(JSON.parse(response.body)).toMatchObject({ error: "METHOD_NOT_ALLOWED" });
  });

  it("sign out everywhere refuses a non-JSON body (a cross-site form) with 415", async () => {
    const auth = createTestAuth();
    const { cookie } = await signInForTest(auth);
    const response = await callApiRoute(createSignOutEverywhereRoute(() => auth), {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toMatchObject({ error: "JSON_REQUIRED" });
  });
});
