import type { GetServerSidePropsContext } from "next";
import type { Session } from "next-auth";
import { guardPage } from "@/lib/nextauth/guardPage";
import { readSession } from "@/lib/nextauth/sessionReader";

// The guard's own rules are under test; the session it reads is given (the read path has its own tests).
jest.mock("@/lib/nextauth/sessionReader", () => ({ readSession: jest.fn() }));

const expires = new Date(Date.now() + 3600_000).toISOString();

function sessionWith(fields: { realmRoles?: string[]; clientRoles?: string[]; authTime?: number | null }): Session {
  return {
    expires,
    user: { name: "Alice", email: "alice@example.com", realmRoles: [], clientRoles: [], authTime: Math.floor(Date.now() / 1000), ...fields },
  };
}

function pageContext(resolvedUrl = "/admin", query: Record<string, string> = {}): GetServerSidePropsContext {
  return { req: {}, res: { statusCode: 200 }, resolvedUrl, query } as unknown as GetServerSidePropsContext;
}

function givenSession(session: Session | null): void {
  jest.mocked(readSession).mockResolvedValue(session);
}

describe("guardPage", () => {
  it("forbids a page that needs the realm role admin to a user holding only a client role named admin (403)", async () => {
    givenSession(sessionWith({ realmRoles: ["user"], clientRoles: ["admin"] }));
    const context = pageContext();
    const result = await guardPage(context, { realmRole: "admin" });
    expect(result.kind).toBe("forbidden");
    expect(context.res.statusCode).toBe(403);
  });

  it("lets a user with the realm role admin in", async () => {
    givenSession(sessionWith({ realmRoles: ["user", "admin"] }));
    const context = pageContext();
    const result = await guardPage(context, { realmRole: "admin" });
    expect(result).toMatchObject({ kind: "allowed", user: { email: "alice@example.com" } });
    expect(context.res.statusCode).toBe(200);
  });

  it("forbids a page that needs a client role to a user holding only a realm role of that name", async () => {
    givenSession(sessionWith({ realmRoles: ["viewer"] }));
    expect((await guardPage(pageContext(), { clientRole: "viewer" })).kind).toBe("forbidden");
    givenSession(sessionWith({ clientRoles: ["viewer"] }));
    expect((await guardPage(pageContext(), { clientRole: "viewer" })).kind).toBe("allowed");
  });

  it("sends a visitor without a session to sign in, and back to the page after", async () => {
    givenSession(null);
    const result = await guardPage(pageContext("/profile?tab=1"));
    expect(result).toEqual({
      kind: "redirect",
      redirect: { destination: "/auth/signin?callbackUrl=%2Fprofile%3Ftab%3D1", permanent: false },
    });
  });

  it("passes a session error on to the sign-in page, which explains it", async () => {
    givenSession({ expires, error: "SessionUnavailable" });
    const result = await guardPage(pageContext("/profile"));
    expect(result).toMatchObject({ redirect: { destination: "/auth/signin?callbackUrl=%2Fprofile&error=SessionUnavailable" } });
  });

  it("sends a session whose password entry is older than maxAuthAgeS through Keycloak again, back to the page", async () => {
    givenSession(sessionWith({ realmRoles: ["admin"], authTime: Math.floor(Date.now() / 1000) - 600 }));
    const result = await guardPage(pageContext("/admin"), { realmRole: "admin", maxAuthAgeS: 300 });
    expect(result).toEqual({ kind: "redirect", redirect: { destination: "/auth/reauth?callbackUrl=%2Fadmin&maxAge=300", permanent: false } });
  });

  it("lets a session in whose password was entered within maxAuthAgeS", async () => {
    givenSession(sessionWith({ realmRoles: ["admin"], authTime: Math.floor(Date.now() / 1000) - 60 }));
    expect((await guardPage(pageContext("/admin"), { realmRole: "admin", maxAuthAgeS: 300 })).kind).toBe("allowed");
  });

  it("refuses to loop: back from Keycloak with a still-old auth_time, the page says so (403)", async () => {
    givenSession(sessionWith({ realmRoles: ["admin"], authTime: Math.floor(Date.now() / 1000) - 600 }));
    const context = pageContext("/admin?reauth=1", { reauth: "1" });
    expect((await guardPage(context, { realmRole: "admin", maxAuthAgeS: 300 })).kind).toBe("reauth-failed");
    expect(context.res.statusCode).toBe(403);
  });

  it("checks the role before the password's age: a user without the role is forbidden, not sent to Keycloak", async () => {
    givenSession(sessionWith({ realmRoles: ["user"], authTime: 0 }));
    expect((await guardPage(pageContext("/admin"), { realmRole: "admin", maxAuthAgeS: 300 })).kind).toBe("forbidden");
  });
});
