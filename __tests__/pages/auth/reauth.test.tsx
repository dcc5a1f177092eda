/**
 * @jest-environment jest-fixed-jsdom
 */
import { render, screen, waitFor } from "@testing-library/react";
import type { Session } from "next-auth";
import { SessionProvider } from "next-auth/react";
import { useRouter } from "next/router";
import { nextAuthApiHandlers } from "@/mocks/nextAuthApi";
import Reauthenticate from "@/pages/auth/reauth";
import { setupPageMswServer } from "@/testing/mswLifecycle";

jest.mock("next/router", () => ({ useRouter: jest.fn() }));

const server = setupPageMswServer();
const replace = jest.fn(async () => true);
const expires = new Date(Date.now() + 3600_000).toISOString();
const admin: Session = { expires, user: { name: "Ada Admin", email: "admin@example.com", realmRoles: ["user", "admin"], clientRoles: [], authTime: 1 } };

function renderReauth(session: Session | null) {
  const query = { callbackUrl: "/admin", maxAge: "300" };
  jest.mocked(useRouter).mockReturnValue({ pathname: "/auth/reauth", query, replace } as unknown as ReturnType<typeof useRouter>);
  server.use(...nextAuthApiHandlers(session, { signOutBodies: [], signInBodies: [] }));
  render(
    <SessionProvider session={undefined} refetchOnWindowFocus={false}>
      <Reauthenticate />
    </SessionProvider>,
  );
}

describe("re-authentication page", () => {
  it("sends a visitor who is not signed in to sign in, then to the page they wanted", async () => {
    renderReauth(null);
    await waitFor(() => expect(replace).toHaveBeenCalledWith(`/auth/signin?${new URLSearchParams({ callbackUrl: "/admin" })}`));
    expect(screen.queryByRole("button", { name: "Continue to Keycloak" })).not.toBeInTheDocument();
  });

  it("asks a signed-in user to confirm with the password", async () => {
    replace.mockClear();
    renderReauth(admin);
    expect(await screen.findByRole("button", { name: "Continue to Keycloak" })).toBeEnabled();
    expect(replace).not.toHaveBeenCalled();
  });
});
