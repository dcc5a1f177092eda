import { captureLogs } from "@/testing/captureLogs";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextAuthOptions } from "next-auth";
import { decode, type JWTEncodeParams } from "next-auth/jwt";
import { InvalidSessionCookieError } from "@/lib/nextauth/mirror/jwt";
import { SESSION_MAX_AGE_S } from "@/lib/session/sessionPolicy";
import { createTestAuth, TEST_SECRET, unsignedJwt } from "@/testing/testAuth";

// next-auth's own option merge (core/init.js), which its package exports do not expose: loaded by file path.
const { init } = jest.requireActual(path.join(path.dirname(require.resolve("next-auth")), "core", "init.js")) as {
  init(params: Record<string, unknown>): Promise<{ options: { jwt: JWTEncodeParams & { encode(p: JWTEncodeParams): Promise<string> } } }>;
};

describe("the session cookie next-auth writes with the app's options", () => {
  it("expires with the session's maximum (10 h), not next-auth's default 30 days", async () => {
    const authOptions: NextAuthOptions = createTestAuth().nextAuthOptions();
    // next-auth's own option merge, then the encode call its callback route makes: jwt.encode({ ...jwt, token }).
    const { options } = await init({
      authOptions,
      action: "callback",
      providerId: "keycloak",
      origin: "http://localhost:3000",
      cookies: {},
      isPost: false,
    });
    const cookie = await options.jwt.encode({ ...options.jwt, token: { sub: "user-1", sessionId: "s-1" } });

    const payload = await decode({ token: cookie, secret: TEST_SECRET });
    const nowS = Math.floor(Date.now() / 1000);
    expect(options.jwt.maxAge).toBe(SESSION_MAX_AGE_S);
    expect(payload?.exp).toBeGreaterThanOrEqual(nowS + SESSION_MAX_AGE_S - 5);
    expect(payload?.exp).toBeLessThanOrEqual(nowS + SESSION_MAX_AGE_S + 5);
  });
});

describe("a sign-in while the browser carries the re-authentication mark", () => {
  const MARK_S = 1_700_000_000;
  const http = { req: { headers: { cookie: `kc-reauth=${MARK_S}` } } as IncomingMessage, res: {} as ServerResponse };
  const signIn = (options: NextAuthOptions, authTime: number) =>
    options.callbacks!.signIn!({ account: { id_token: unsignedJwt({ auth_time: authTime }) } } as never);

  it("asks Keycloak for the password (prompt=login)", () => {
    const [provider] = createTestAuth().nextAuthOptions(http).providers as unknown as { options: { authorization: { params: object } } }[];
    expect(provider.options.authorization.params).toMatchObject({ prompt: "login" });
  });

  it("is refused when the password entry predates the failed Keycloak logout (e.g. a crafted prompt=none)", async () => {
    expect(await signIn(createTestAuth().nextAuthOptions(http), MARK_S - 1)).toBe("/auth/signin?error=ReauthRequired");
  });

  it("is accepted when the password was entered since", async () => {
    expect(await signIn(createTestAuth().nextAuthOptions(http), MARK_S)).toBe(true);
  });

  it("is accepted whatever its auth_time without the mark", async () => {
    expect(await signIn(createTestAuth().nextAuthOptions({ ...http, req: { headers: {} } as IncomingMessage }), MARK_S - 1)).toBe(true);
  });
});

describe("the redirect callback (a planted callback-url cookie cannot block sign-in or sign-out)", () => {
  const BASE = "http://localhost:3000";
  const redirect = (url: string) => createTestAuth().nextAuthOptions().callbacks!.redirect!({ url, baseUrl: BASE });

  it("keeps a same-origin target, relative or absolute", async () => {
    expect(await redirect("/profile?tab=1")).toBe(`${BASE}/profile?tab=1`);
    expect(await redirect(`${BASE}/admin`)).toBe(`${BASE}/admin`);
  });

  it.each(["https://evil.example/", "//evil.example/x", "http://localhost:3001/", "http://[::1", "http://%zz"])(
    "answers the app's home for %s, without throwing",
    async (url) => {
      expect(await redirect(url)).toBe(BASE);
    },
  );
});

describe("next-auth's error log", () => {
  it("writes a junk session cookie (anyone can send one) as one warn line, without a stack", () => {
    const logs = captureLogs();
    try {
      createTestAuth().nextAuthOptions().logger!.error!("JWT_SESSION_ERROR", new InvalidSessionCookieError("not a compact JWE"));
    } finally {
      logs.restore();
    }
    expect(logs.lines()).toEqual(["[auth] WARN SESSION_COOKIE_INVALID reason=\"Invalid session cookie: not a compact JWE\""]);
  });
});
