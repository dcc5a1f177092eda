import type { GetServerSidePropsContext } from "next";
import { guardPage, type SessionUser } from "@/lib/nextauth/guardPage";
import type { SessionRead } from "@/lib/nextauth/mirror/sessionRoute";
import { fakeClock } from "@/testing/testAuth";

// The guard's own rules are under test; the session read it gets is given (the read path has its own tests).
const clock = fakeClock(1_700_000_000_000);
const nowS = () => Math.floor(clock.nowMs() / 1000);
const expires = new Date(clock.nowMs() + 3600_000).toISOString();

function signedIn(fields: { realmRoles?: string[]; clientRoles?: string[]; authTime?: number | null }): SessionRead {
  const user: SessionUser = { name: "Alice", email: "alice@example.com", realmRoles: [], clientRoles: [], authTime: nowS(), ...fields };
  const watched = { sessionId: "session-1", sub: "user-1", absoluteEndMs: clock.nowMs() + 3600_000 };
  return { status: "signed-in", session: { expires, user }, user, sessionId: "session-1", sub: "user-1", accessToken: "at", watched };
}

function pageContext(resolvedUrl = "/admin", query: Record<string, string> = {}): GetServerSidePropsContext {
  return { req: {}, res: { statusCode: 200 }, resolvedUrl, query } as unknown as GetServerSidePropsContext;
}

describe("guardPage", () => {
  it("forbids a page that needs the realm role admin to a user holding only a client role named admin (403)", async () => {
    const context = pageContext();
    const result = await guardPage(signedIn({ realmRoles: ["user"], clientRoles: ["admin"] }), context, { realmRole: "admin" }, clock);
    expect(result.kind).toBe("forbidden");
    expect(context.res.statusCode).toBe(403);
  });

  it("lets a user with the realm role admin in", async () => {
    const context = pageContext();
    const result = await guardPage(signedIn({ realmRoles: ["user", "admin"] }), context, { realmRole: "admin" }, clock);
    expect(result).toMatchObject({ kind: "allowed", user: { email: "alice@example.com" } });
    expect(context.res.statusCode).toBe(200);
  });

  it("forbids a page that needs a client role to a user holding only a realm role of that name", async () => {
    expect((await guardPage(signedIn({ realmRoles: ["viewer"] }), pageContext(), { clientRole: "viewer" }, clock)).kind).toBe("forbidden");
    expect((await guardPage(signedIn({ clientRoles: ["viewer"] }), pageContext(), { clientRole: "viewer" }, clock)).kind).toBe("allowed");
  });

  it("sends a visitor without a session to sign in, and back to the page after", async () => {
    const result = await guardPage({ status: "signed-out", reason: "no-session" }, pageContext("/profile?tab=1"), {}, clock);
    expect(result).toEqual({
      kind: "redirect",
      redirect: { destination: "/auth/signin?callbackUrl=%2Fprofile%3Ftab%3D1", permanent: false },
    });
  });

  it.each([
    [{ status: "unavailable", code: "STORE_UNAVAILABLE", session: { expires } }, "SessionUnavailable"],
    [{ status: "unavailable", code: "KEYCLOAK_UNAVAILABLE", session: { expires } }, "RefreshAccessTokenError"],
    [{ status: "signed-out", reason: "keycloak-logout" }, "SessionEnded"],
  ] as [SessionRead, string][])("passes why the session is not confirmed on to the sign-in page, which explains it (%j)", async (read, error) => {
    const result = await guardPage(read, pageContext("/profile"), {}, clock);
    expect(result).toMatchObject({ redirect: { destination: `/auth/signin?callbackUrl=%2Fprofile&error=${error}` } });
  });

  it("sends a session whose password entry is older than maxAuthAgeS through Keycloak again, back to the page", async () => {
    const result = await guardPage(signedIn({ realmRoles: ["admin"], authTime: nowS() - 600 }), pageContext("/admin"), { realmRole: "admin", maxAuthAgeS: 300 }, clock);
    expect(result).toEqual({ kind: "redirect", redirect: { destination: "/auth/reauth?callbackUrl=%2Fadmin&maxAge=300", permanent: false } });
  });

  it("lets a session in whose password was entered within maxAuthAgeS", async () => {
    const result = await guardPage(signedIn({ realmRoles: ["admin"], authTime: nowS() - 60 }), pageContext("/admin"), { realmRole: "admin", maxAuthAgeS: 300 }, clock);
    expect(result.kind).toBe("allowed");
  });

  it("refuses to loop: back from Keycloak with a still-old auth_time, the page says so (403)", async () => {
    const flag = String(nowS() - 5);
    const context = pageContext(`/admin?reauth=${flag}`, { reauth: flag });
    const result = await guardPage(signedIn({ realmRoles: ["admin"], authTime: nowS() - 600 }), context, { realmRole: "admin", maxAuthAgeS: 300 }, clock);
    expect(result.kind).toBe("reauth-failed");
    expect(context.res.statusCode).toBe(403);
  });

  it.each([
    ["older than 600 s (a bookmark)", () => String(nowS() - 601)],
    ["from the old format", () => "1"],
  ])("starts a new round trip for a ?reauth flag %s, without the old flag", async (_name, flag) => {
    const context = pageContext(`/admin?tab=2&reauth=${flag()}`, { tab: "2", reauth: flag() });
    const result = await guardPage(signedIn({ realmRoles: ["admin"], authTime: nowS() - 600 }), context, { realmRole: "admin", maxAuthAgeS: 300 }, clock);
    expect(result).toEqual({ kind: "redirect", redirect: { destination: "/auth/reauth?callbackUrl=%2Fadmin%3Ftab%3D2&maxAge=300", permanent: false } });
    expect(context.res.statusCode).toBe(200);
  });

  it("checks the role before the password's age: a user without the role is forbidden, not sent to Keycloak", async () => {
    const result = await guardPage(signedIn({ realmRoles: ["user"], authTime: 0 }), pageContext("/admin"), { realmRole: "admin", maxAuthAgeS: 300 }, clock);
    expect(result.kind).toBe("forbidden");
  });
});
