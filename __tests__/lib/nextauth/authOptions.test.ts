import path from "node:path";
import type { NextAuthOptions } from "next-auth";
import { decode, type JWTEncodeParams } from "next-auth/jwt";
import { SESSION_MAX_AGE_S } from "@/lib/session/sessionPolicy";

const SECRET = "a-secret-that-is-long-enough-0123456789";

// next-auth's own option merge (core/init.js), which its package exports do not expose: loaded by file path.
const { init } = jest.requireActual(path.join(path.dirname(require.resolve("next-auth")), "core", "init.js")) as {
  init(params: Record<string, unknown>): Promise<{ options: { jwt: JWTEncodeParams & { encode(p: JWTEncodeParams): Promise<string> } } }>;
};

beforeAll(() => {
  Object.assign(process.env, {
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: SECRET,
    KEYCLOAK_ISSUER: "http://keycloak.test/realms/nextjs",
    KEYCLOAK_CLIENT_ID: "nextjs-app",
    KEYCLOAK_CLIENT_SECRET: "nextjs-app-secret",
  });
});

describe("the session cookie next-auth writes with the app's options", () => {
  it("expires with the session's maximum (10 h), not next-auth's default 30 days", async () => {
    const { buildAuthOptions } = await import("@/lib/nextauth/authOptions");
    const authOptions: NextAuthOptions = buildAuthOptions();
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

    const payload = await decode({ token: cookie, secret: SECRET });
    const nowS = Math.floor(Date.now() / 1000);
    expect(options.jwt.maxAge).toBe(SESSION_MAX_AGE_S);
    expect(payload?.exp).toBeGreaterThanOrEqual(nowS + SESSION_MAX_AGE_S - 5);
    expect(payload?.exp).toBeLessThanOrEqual(nowS + SESSION_MAX_AGE_S + 5);
  });
});
