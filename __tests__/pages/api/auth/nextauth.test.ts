import { setupMswServer } from "@/testing/mswLifecycle";
import { captureLogs } from "@/testing/captureLogs";
import { callApiRoute } from "@/testing/apiRoute";
import { createTestAuth } from "@/testing/testAuth";
import { createNextAuthRoute } from "@/pages/api/auth/[...nextauth]";

describe("/api/auth/_log (next-auth's browser-to-server log relay)", () => {
  it("answers 204 and writes nothing to the server log, whatever a page posts", async () => {
    const testAuth = createTestAuth();
    const auth = createNextAuthRoute(() => testAuth);
    const logs = captureLogs();
    const answers: { status: number; body: string }[] = [];
    try {
      for (const level of ["error", "warn", "debug"]) {
        const response = await callApiRoute(auth, {
          method: "POST",
          query: { nextauth: ["_log"] },
          headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
          // What a cross-site form would send: a line identical to a real one, and one of the attacker's own.
          body: { code: level === "error" ? "FROM_EVIL_PAGE" : "SESSION_ENDED", level, reason: "BACKCHANNEL_LOGOUT" },
        });
        answers.push({ status: response.status, body: response.body });
      }
      expect(logs.lines()).toEqual([]);
      expect(answers).toEqual(Array(3).fill({ status: 204, body: "" }));
    } finally {
      logs.restore();
    }
  });
});

describe("POST /api/auth/signin/keycloak (the request that builds Keycloak's authorization URL)", () => {
  setupMswServer();
  // next-auth's own route reads NEXTAUTH_URL itself.
  process.env.NEXTAUTH_URL = "http://localhost:3000";

  /** The authorization URL next-auth answers for a sign-in POST with `query`, after a CSRF round trip. */
  async function authorizationUrl(query: Record<string, string>, cookie = ""): Promise<URL> {
    const route = createNextAuthRoute(() => createTestAuth());
    const csrf = await callApiRoute(route, { method: "GET", query: { nextauth: ["csrf"] }, headers: { host: "localhost:3000", cookie } });
    const csrfCookie = [csrf.headers["set-cookie"]].flat().map((line) => String(line).split(";")[0]).join("; ");
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const response = await callApiRoute(route, {
      method: "POST",
      query: { nextauth: ["signin", "keycloak"], ...query },
      headers: { host: "localhost:3000", "content-type": "application/x-www-form-urlencoded", cookie: [cookie, csrfCookie].filter(Boolean).join("; ") },
      body: { csrfToken, callbackUrl: "/", json: "true" },
    });
    return new URL((JSON.parse(response.body) as { url: string }).url);
  }

  it("sends no authorization parameter a request's query tried to set (prompt=none cannot skip the password)", async () => {
    const url = await authorizationUrl({ prompt: "none", login_hint: "victim", scope: "openid offline_access" });
    expect(url.pathname).toMatch(/\/protocol\/openid-connect\/auth$/);
    expect(url.searchParams.get("prompt")).toBeNull();
    expect(url.searchParams.get("login_hint")).toBeNull();
    expect(url.searchParams.get("scope")).toBe("openid email profile");
  });

  it("after a failed Keycloak logout, asks for the password (prompt=login) whatever the query says", async () => {
    const url = await authorizationUrl({ prompt: "none" }, "kc-reauth=1700000000");
    expect(url.searchParams.get("prompt")).toBe("login");
  });

  it("keeps max_age (re-authentication of sensitive pages)", async () => {
    expect((await authorizationUrl({ max_age: "10" })).searchParams.get("max_age")).toBe("10");
  });
});

describe("a callback URL next-auth would refuse (planted by a sibling origin, or posted by a hostile form)", () => {
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  const HOSTILE = ["http://", "https://[", "http://%zz", "http://exa mple.com/", "//[::1", "javascript:alert(1)"];

  it.each(HOSTILE)("never blocks CSRF or sign-out: a callback-url cookie %s is ignored", async (value) => {
    const route = createNextAuthRoute(() => createTestAuth());
    const logs = captureLogs();
    try {
      const cookie = `next-auth.callback-url=${encodeURIComponent(value)}`;
      const csrf = await callApiRoute(route, { method: "GET", query: { nextauth: ["csrf"] }, headers: { host: "localhost:3000", cookie } });
      expect(csrf.status).toBe(200);
      const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
      const csrfCookie = [csrf.headers["set-cookie"]].flat().map((line) => String(line).split(";")[0]).join("; ");
      const signOut = await callApiRoute(route, {
        method: "POST",
        query: { nextauth: ["signout"], callbackUrl: value },
        headers: { host: "localhost:3000", "content-type": "application/x-www-form-urlencoded", cookie: `${cookie}; ${csrfCookie}` },
        body: { csrfToken, callbackUrl: value, json: "true" },
      });
      expect(signOut.status).toBe(200);
      expect(new URL((JSON.parse(signOut.body) as { url: string }).url).origin).toBe("http://localhost:3000");
      expect(logs.lines().join("\n")).not.toMatch(/ERROR/);
    } finally {
      logs.restore();
    }
  });
});
