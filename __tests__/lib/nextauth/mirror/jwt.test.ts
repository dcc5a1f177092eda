import { decode, encode } from "next-auth/jwt";
import { decodeSessionCookie, encodeSessionCookie } from "@/lib/nextauth/mirror/jwt";

const secret = "a-secret-that-is-long-enough-0123456789";
const token = { sub: "user-1", name: "Alice", provider: "keycloak" as const, id_token: "id.token.sig", sessionId: "s-1" };

describe("session cookie codec", () => {
  it("writes cookies next-auth's own decode reads (existing sessions survive switching codecs)", async () => {
    const cookie = await encodeSessionCookie({ token, secret, maxAge: 60 });
    await expect(decode({ token: cookie, secret })).resolves.toMatchObject(token);
  });

  it("reads cookies next-auth's own encode wrote", async () => {
    const cookie = await encode({ token, secret, maxAge: 60 });
    await expect(decodeSessionCookie({ token: cookie, secret })).resolves.toMatchObject(token);
  });

  it("never writes the request-only fields (roles, error, the access token) into the cookie", async () => {
    const cookie = await encodeSessionCookie({
      token: { ...token, roles: { realm: ["admin"], client: [] }, error: "SessionUnavailable", accessToken: "eyJ.access.token" },
      secret,
    });
    const decoded = await decodeSessionCookie({ token: cookie, secret });
    expect(decoded).not.toHaveProperty("roles");
    expect(decoded).not.toHaveProperty("error");
    expect(decoded).not.toHaveProperty("accessToken");
  });

  it("never extends a session by re-encoding it (useSession's update()): exp stays at sign-in plus maxAge", async () => {
    const maxAge = 36_000;
    const signedInAtMs = Date.now() - 9 * 3600_000;
    const cookie = await encodeSessionCookie({ token: { ...token, signedInAtMs }, secret, maxAge });
    const decoded = await decodeSessionCookie({ token: cookie, secret });
    expect(decoded?.exp).toBe(Math.floor(signedInAtMs / 1000) + maxAge);
  });

  it("rejects a cookie encrypted with another secret", async () => {
    const cookie = await encodeSessionCookie({ token, secret: "another-secret-that-is-long-enough-0123", maxAge: 60 });
    await expect(decodeSessionCookie({ token: cookie, secret })).rejects.toThrow();
  });

  it("rejects an expired cookie", async () => {
    const cookie = await encodeSessionCookie({ token, secret, maxAge: -60 });
    await expect(decodeSessionCookie({ token: cookie, secret })).rejects.toThrow();
  });
});
