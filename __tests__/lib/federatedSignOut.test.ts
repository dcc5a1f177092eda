import { ServerResponse, IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { http, HttpResponse } from "msw";
import { federatedSignOut, type FederatedSignOutConfig } from "@/lib/federatedSignOut";
import { isReauthRequired } from "@/lib/reauthMarker";
import { sessionKeys } from "@/lib/sessionKeys";
import { createMemoryStore } from "@/lib/sessionStore/memoryStore";
import type { SessionStore } from "@/lib/sessionStore/sessionStore";
import { CLIENT_ID, ENDPOINTS, ISSUER } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

const token = { provider: "keycloak" as const, id_token: "id.token.value", sessionId: "session-1", sid: "kc-1" };

let store: SessionStore;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  store = createMemoryStore();
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await store.close();
});

const config = (): FederatedSignOutConfig => ({
  store,
  issuer: ISSUER,
  clientId: CLIENT_ID,
  timeoutMs: 300,
  federated: true,
  secureCookies: false,
  sessionMaxAgeS: 3600,
  retryDelaysMs: [],
});

/** Polls a condition every 10 ms for up to 2 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

/** What the browser would send back after this response: its cookies. */
function cookiesFrom(res: ServerResponse): Record<string, string> {
  const header = res.getHeader("Set-Cookie");
  const list = Array.isArray(header) ? header : header ? [String(header)] : [];
  return Object.fromEntries(list.map((c) => c.split(";")[0].split("=") as [string, string]).filter(([, v]) => v));
}

describe("federatedSignOut", () => {
  it("revokes the app session, then ends the Keycloak session, and leaves no re-login mark", async () => {
    let hinted: string | null = null;
    server.use(
      http.post(ENDPOINTS.logout, async ({ request }) => {
        hinted = new URLSearchParams(await request.text()).get("id_token_hint");
        return HttpResponse.text("You are logged out");
      }),
    );
    const res = response();

    await federatedSignOut(token, res, config());

    expect(await store.get(sessionKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(hinted).toBe("id.token.value");
    expect(isReauthRequired({ cookies: cookiesFrom(res) } as never, false)).toBe(false);
  });

  it("signs out locally when Keycloak hangs, and marks the browser so the next sign-in asks for credentials", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new Promise<Response>(() => undefined)));
    const res = response();
    const started = Date.now();

    await federatedSignOut(token, res, config());

    expect(Date.now() - started).toBeLessThan(2000);
    expect(await store.get(sessionKeys.revokedSession("session-1"))).toBe("signed-out");
    expect(isReauthRequired({ cookies: cookiesFrom(res) } as never, false)).toBe(true);
    expect(logs.lines().join("\n")).not.toContain("id.token.value");
  });

  it("marks the browser when Keycloak rejects the hint", async () => {
    server.use(http.post(ENDPOINTS.logout, () => new HttpResponse("Invalid parameter: id_token_hint", { status: 400 })));
    const res = response();
    await federatedSignOut(token, res, config());
    expect(isReauthRequired({ cookies: cookiesFrom(res) } as never, false)).toBe(true);
  });

  it("retries a failed logout in the background until Keycloak answers", async () => {
    let calls = 0;
    server.use(
      http.post(ENDPOINTS.logout, () => (++calls === 1 ? new HttpResponse("down", { status: 503 }) : HttpResponse.text("You are logged out"))),
    );
    await federatedSignOut(token, response(), { ...config(), retryDelaysMs: [20, 20] });
    await waitFor(() => calls === 2);
    expect(logs.lines().join("\n")).toMatch(/KEYCLOAK_LOGOUT_OK/);
  });

  it("drops a pending retry once the user has signed in again into that Keycloak session", async () => {
    let calls = 0;
    server.use(http.post(ENDPOINTS.logout, () => (++calls, new HttpResponse("down", { status: 503 }))));
    await federatedSignOut(token, response(), { ...config(), retryDelaysMs: [50] });
    await store.set(sessionKeys.sidSignedIn("kc-1"), String(Date.now() + 1), 60_000);
    await waitFor(() => logs.lines().some((line) => line.includes("KEYCLOAK_LOGOUT_RETRY_DROPPED")));
    expect(calls).toBe(1);
  });

  it("only clears the local session when the federated logout is switched off", async () => {
    // No logout handler: any request to Keycloak would fail the test (onUnhandledRequest: "error").
    await federatedSignOut(token, response(), { ...config(), federated: false });
    expect(await store.get(sessionKeys.revokedSession("session-1"))).toBe("signed-out");
  });
});
