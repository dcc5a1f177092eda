/**
 * @jest-environment jest-fixed-jsdom
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { setupServer } from "msw/node";
import { SessionProvider } from "next-auth/react";
import { useRouter } from "next/router";
import { Layout } from "@/components/Layout";
import { nextAuthApiHandlers } from "@/mocks/nextAuthApi";

jest.mock("next/router", () => ({ useRouter: jest.fn() }));

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const replace = jest.fn(async () => true);

function renderAt(pathname: string, query: Record<string, string> = {}) {
  jest.mocked(useRouter).mockReturnValue({ pathname, query, replace } as unknown as ReturnType<typeof useRouter>);
  server.use(...nextAuthApiHandlers(null, { signInBodies: [], signOutBodies: [] }));
  render(
    <SessionProvider session={null} refetchOnWindowFocus={false}>
      <Layout title="Profile">
        <p>Content</p>
      </Layout>
    </SessionProvider>,
  );
}

describe("Layout", () => {
  it("marks the link of the page being shown with aria-current=page, and no other", () => {
    renderAt("/profile");
    const nav = within(screen.getByRole("navigation", { name: "Main" }));
    expect(nav.getByRole("link", { name: "Profile" })).toHaveAttribute("aria-current", "page");
    expect(nav.getByRole("link", { name: "Home" })).not.toHaveAttribute("aria-current");
    expect(nav.getByRole("link", { name: "Admin" })).not.toHaveAttribute("aria-current");
  });

  it("marks Home on the home page", () => {
    renderAt("/");
    expect(screen.getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "Profile" })).not.toHaveAttribute("aria-current");
  });

  it("marks no link on a page outside the navigation", () => {
    renderAt("/auth/signin");
    const nav = within(screen.getByRole("navigation", { name: "Main" }));
    for (const link of nav.getAllByRole("link")) expect(link).not.toHaveAttribute("aria-current");
  });

  it("starts with a Skip to content link, the first stop for the keyboard, pointing at the main content", async () => {
    renderAt("/");
    const skip = screen.getByRole("link", { name: "Skip to content" });
    await userEvent.tab();
    expect(skip).toHaveFocus();
    const target = skip.getAttribute("href")?.slice(1) ?? "";
    expect(document.getElementById(target)).toBe(screen.getByRole("main"));
    expect(within(screen.getByRole("main")).getByRole("heading", { level: 1, name: "Profile" })).toBeInTheDocument();
  });

  it("names the app in the header, linking home", () => {
    renderAt("/profile");
    const brand = within(screen.getByRole("banner")).getByRole("link", { name: "Keycloak sign-out demo" });
    expect(brand).toHaveAttribute("href", "/");
  });

  it("takes the re-authentication flag out of the address once the page is shown (history.replaceState, shallow)", () => {
    window.history.replaceState(null, "", "/admin?reauth=1&tab=x");
    renderAt("/admin", { reauth: "1", tab: "x" });
    expect(replace).toHaveBeenCalledWith("/admin?tab=x", undefined, { shallow: true, scroll: false });
  });

  it("leaves an address without the flag alone", () => {
    replace.mockClear();
    renderAt("/admin");
    expect(replace).not.toHaveBeenCalled();
  });
});
