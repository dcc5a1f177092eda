/**
 * @jest-environment jest-fixed-jsdom
 */
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Session } from "next-auth";
import { SessionProvider } from "next-auth/react";
import { useRouter } from "next/router";
import { nextAuthApiHandlers, type NextAuthTraffic } from "@/mocks/nextAuthApi";
import SignOut from "@/pages/auth/signout";
import { setupPageMswServer } from "@/testing/mswLifecycle";

jest.mock("next/router", () => ({ useRouter: jest.fn() }));

const server = setupPageMswServer();

const expires = new Date(Date.now() + 3600_000).toISOString();
const alice: Session = { expires, user: { name: "Alice", email: "alice@example.com", realmRoles: ["user"], clientRoles: [], authTime: null } };

function renderSignOut(session: Session | null, query: Record<string, string> = {}): NextAuthTraffic {
  jest.mocked(useRouter).mockReturnValue({ pathname: "/auth/signout", query } as unknown as ReturnType<typeof useRouter>);
  const traffic: NextAuthTraffic = { signOutBodies: [], signInBodies: [] };
  server.use(...nextAuthApiHandlers(session, traffic));
  render(
    <SessionProvider session={undefined} refetchOnWindowFocus={false}>
      <SignOut />
    </SessionProvider>,
  );
  return traffic;
}

const pageButton = () => within(screen.getByRole("main")).findByRole("button", { name: "Sign out of this app and Keycloak" });

describe("sign-out page (next-auth's pages.signOut)", () => {
  it("is the app's own page: its heading, and what signing out does", async () => {
    renderSignOut(alice);
    expect(screen.getByRole("heading", { level: 1, name: "Sign out" })).toBeInTheDocument();
    await pageButton();
    expect(screen.getByText(/also ends your Keycloak session/)).toBeInTheDocument();
  });

  it("signs out with next-auth's CSRF-protected POST, then shows Signing out… on a disabled, busy button", async () => {
    const traffic = renderSignOut(alice);
    await userEvent.click(await pageButton());
    await waitFor(() => expect(traffic.signOutBodies).toHaveLength(1));
    expect(traffic.signOutBodies[0].get("csrfToken")).toBe("csrf-test-token");
    expect(traffic.signOutBodies[0].get("callbackUrl")).toBe("/");
    const busy = within(screen.getByRole("main")).getByRole("button", { name: "Signing out…" });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");
  });

  it("offers sign-out while the session cannot be confirmed (the cookie is kept)", async () => {
    renderSignOut({ expires, error: "SessionUnavailable" });
    expect(await pageButton()).toBeEnabled();
  });

  it("says so to a visitor who is already signed out, with no sign-out button", async () => {
    renderSignOut(null);
    expect(await screen.findByText("You are signed out.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Sign out/ })).not.toBeInTheDocument();
  });

  it("comes back to a destination of this app, never to another origin", async () => {
    const traffic = renderSignOut(alice, { callbackUrl: "https://evil.example/" });
    await userEvent.click(await pageButton());
    await waitFor(() => expect(traffic.signOutBodies).toHaveLength(1));
    expect(traffic.signOutBodies[0].get("callbackUrl")).toBe("/");
  });
});
