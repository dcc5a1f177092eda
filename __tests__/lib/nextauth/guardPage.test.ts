import type { GetServerSidePropsContext } from "next";
import type { Session } from "next-auth";
import { guardPage } from "@/lib/nextauth/guardPage";
import { readSession } from "@/lib/nextauth/sessionReader";

// The guard's own rules are under test; the session it reads is given (the read path has its own tests).
jest.mock("@/lib/nextauth/sessionReader", () => ({ readSession: jest.fn() }));

const expires = new Date(Date.now() + 3600_000).toISOString();

function sessionWith(roles: { realmRoles?: string[]; clientRoles?: string[] }): Session {
  return { expires, user: { name: "Alice", email: "alice@example.com", realmRoles: [], clientRoles: [], ...roles } };
}

function pageContext(resolvedUrl = "/admin"): GetServerSidePropsContext {
  return { req: {}, res: { statusCode: 200 }, resolvedUrl, query: {} } as unknown as GetServerSidePropsContext;
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
});
