/**
 * @jest-environment jest-fixed-jsdom
 */
import { sessionErrorMessage } from "@/components/sessionErrorMessage";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { SessionProvider } from "next-auth/react";
import type { Session } from "next-auth";
import { AuthButton } from "@/components/AuthButton";
import { UserSummary } from "@/components/UserSummary";
import { nextAuthApiHandlers, type NextAuthTraffic } from "@/mocks/nextAuthApi";
import { setupPageMswServer } from "@/testing/mswLifecycle";

const server = setupPageMswServer();

const alice: Session = {
  expires: new Date(Date.now() + 3600_000).toISOString(),
  user: { name: "Alice Example", email: "alice@example.com", realmRoles: ["user"], clientRoles: [], authTime: null },
};

function renderWithSession(session: Session | null) {
  const traffic: NextAuthTraffic = { signOutBodies: [], signInBodies: [] };
  server.use(...nextAuthApiHandlers(session, traffic));
  render(
    <SessionProvider session={undefined} refetchOnWindowFocus={false}>
      <header>
        <AuthButton />
      </header>
      <main>
        <UserSummary />
      </main>
    </SessionProvider>,
  );
  return traffic;
}

/** Holds next-auth's sign-in or sign-out POST open until `release` is called, like a slow provider. */
function slowNextAuthPost(path: "signin/keycloak" | "signout"): { release: () => void } {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  server.use(
    http.post(`*/api/auth/${path}`, async () => {
      await released;
      return HttpResponse.json({ url: "http://localhost/#done" });
    }),
  );
  return { release: () => release() };
}

const header = () => within(screen.getByRole("banner"));
const main = () => within(screen.getByRole("main"));

describe("AuthButton and UserSummary", () => {
  it("offers only Sign in to a signed-out visitor", async () => {
    renderWithSession(null);
    expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Sign out" })).not.toBeInTheDocument();
    expect(screen.getByText("You are signed out.")).toBeInTheDocument();
  });

  it("shows the signed-in user's name and email and offers only Sign out", async () => {
    renderWithSession(alice);
    expect(await screen.findByRole("button", { name: "Sign out" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Sign in" })).not.toBeInTheDocument();
    expect(screen.getByText("Alice Example")).toBeInTheDocument();
    expect(screen.getByText("alice@example.com")).toBeInTheDocument();
  });

  it("Sign out calls next-auth's standard signOut(): a CSRF-protected POST to /api/auth/signout", async () => {
    const traffic = renderWithSession(alice);
    await userEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(traffic.signOutBodies).toHaveLength(1));
    expect(traffic.signOutBodies[0].get("csrfToken")).toBe("csrf-test-token");
    // Wherever the user signs out (a protected page too), they land on the signed-out home page.
    expect(traffic.signOutBodies[0].get("callbackUrl")).toBe("/");
  });

  it("Sign in starts the Keycloak sign-in with next-auth's signIn('keycloak')", async () => {
    const traffic = renderWithSession(null);
    await userEvent.click(await screen.findByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(traffic.signInBodies).toHaveLength(1));
    expect(traffic.signInBodies[0].get("csrfToken")).toBe("csrf-test-token");
  });

  it("while signing in, the button says Signing in…, is busy and cannot be clicked again", async () => {
    renderWithSession(null);
    const slow = slowNextAuthPost("signin/keycloak");
    await userEvent.click(await screen.findByRole("button", { name: "Sign in" }));
    const busy = await screen.findByRole("button", { name: "Signing in…" });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");
    expect(screen.queryByRole("button", { name: "Sign in" })).not.toBeInTheDocument();
    slow.release();
  });

  it("while signing out, the button says Signing out…, is busy and cannot be clicked again", async () => {
    renderWithSession(alice);
    const slow = slowNextAuthPost("signout");
    await userEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    const busy = await screen.findByRole("button", { name: "Signing out…" });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");
    slow.release();
  });

  it("asks the user to sign in again when the session reports a refresh error", async () => {
    renderWithSession({ expires: alice.expires, error: "RefreshAccessTokenError" });
    expect(await screen.findByRole("alert")).toHaveTextContent(sessionErrorMessage("RefreshAccessTokenError"));
  });

  it("during a refresh outage header and page agree: both offer Sign out (the cookie is kept), neither Sign in", async () => {
    renderWithSession({ expires: alice.expires, error: "RefreshAccessTokenError" });
    expect(await header().findByRole("button", { name: "Sign out" })).toBeEnabled();
    expect(main().getByRole("button", { name: "Sign out" })).toBeEnabled();
    expect(screen.queryByRole("button", { name: "Sign in" })).not.toBeInTheDocument();
  });

  it("lets the user sign out while the session cannot be confirmed (the cookie is kept through an outage)", async () => {
    const traffic = renderWithSession({ expires: alice.expires, error: "SessionUnavailable" });
    const alert = await screen.findByRole("alert");
    await userEvent.click(within(alert).getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(traffic.signOutBodies).toHaveLength(1));
    expect(within(alert).getByRole("button", { name: "Signing out…" })).toBeDisabled();
  });
});
