/**
 * @jest-environment jest-fixed-jsdom
 */
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { AccountSessions } from "@/components/AccountSessions";
import { setupPageMswServer } from "@/testing/mswLifecycle";

const server = setupPageMswServer();

const sessions = [
  { id: "mine", device: "Linux", browser: "Chrome/142", ipAddress: "127.0.0.1", startedAt: 1796120197, lastAccessAt: 1796120200, expiresAt: 1796156197, current: true, apps: ["Next.js app"] },
  { id: "phone", device: "iOS iPhone", browser: "Safari/18", ipAddress: "10.0.0.7", startedAt: 1796110000, lastAccessAt: 1796110100, expiresAt: 1796146000, current: false, apps: ["Next.js app"] },
];

describe("Your sessions", () => {
  it("lists the user's sessions as cards, marks this device, and offers Sign out this device only for the others", async () => {
    server.use(http.get("*/api/account/sessions", () => HttpResponse.json({ sessions })));
    render(<AccountSessions />);
    const list = await screen.findByRole("list", { name: "Your Keycloak sessions" });
    const items = within(list).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Chrome/142 on LinuxThis device");
    expect(items[0]).toHaveTextContent("IP127.0.0.1");
    expect(within(items[0]).queryByRole("button")).toBeNull();
    expect(items[1]).toHaveTextContent("Safari/18 on iOS iPhone");
    expect(within(items[1]).getByRole("button", { name: "Sign out Safari/18 on iOS iPhone" })).toHaveTextContent("Sign out this device");
  });

  it("ends another session and shows the list again without it", async () => {
    let remaining = sessions;
    const deleted: string[] = [];
    server.use(
      http.get("*/api/account/sessions", () => HttpResponse.json({ sessions: remaining })),
      http.delete("*/api/account/sessions/:id", ({ params }) => {
        deleted.push(String(params.id));
        remaining = sessions.filter((s) => s.id !== params.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    render(<AccountSessions />);
    await userEvent.click(await screen.findByRole("button", { name: "Sign out Safari/18 on iOS iPhone" }));
    expect(deleted).toEqual(["phone"]);
    await screen.findByText(/Chrome\/142 on Linux/);
    expect(screen.queryByText(/Safari/)).toBeNull();
  });

  it("asks before signing out everywhere, and Cancel sends nothing", async () => {
    let posts = 0;
    server.use(
      http.get("*/api/account/sessions", () => HttpResponse.json({ sessions })),
      http.post("*/api/account/sign-out-everywhere", () => {
        posts++;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    render(<AccountSessions />);
    await screen.findByRole("list", { name: "Your Keycloak sessions" });
    await userEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    expect(screen.getByRole("group")).toHaveTextContent("This ends all 2 of your sessions, this one included");
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(posts).toBe(0);
    expect(screen.getByRole("button", { name: "Sign out everywhere" })).toBeEnabled();
  });

  it("once confirmed, signs out everywhere with a JSON POST and disables the buttons while it runs", async () => {
    let posted: { type: string | null } | undefined;
    server.use(
      http.get("*/api/account/sessions", () => HttpResponse.json({ sessions })),
      http.post("*/api/account/sign-out-everywhere", ({ request }) => {
        posted = { type: request.headers.get("content-type") };
        return new HttpResponse(null, { status: 204 });
      }),
    );
    render(<AccountSessions />);
    await screen.findByRole("list", { name: "Your Keycloak sessions" });
    await userEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, sign out everywhere" }));
    expect(posted).toEqual({ type: "application/json" });
    expect(screen.getByRole("button", { name: "Signing out everywhere…" })).toBeDisabled();
  });

  it("says what went wrong when Keycloak refuses, and changes nothing", async () => {
    server.use(
      http.get("*/api/account/sessions", () => HttpResponse.json({ sessions })),
      http.post("*/api/account/sign-out-everywhere", () =>
        HttpResponse.json({ error: "ACCOUNT_API_REFUSED", message: "Keycloak refused: your account needs the manage-account role." }, { status: 403 }),
      ),
    );
    render(<AccountSessions />);
    await screen.findByRole("list", { name: "Your Keycloak sessions" });
    await userEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, sign out everywhere" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("needs the manage-account role");
    expect(screen.getByRole("button", { name: "Sign out everywhere" })).toBeEnabled();
  });

  it("tells the user when Keycloak cannot be reached for the list", async () => {
    server.use(http.get("*/api/account/sessions", () => HttpResponse.json({ error: "KEYCLOAK_UNAVAILABLE", message: "Keycloak could not be reached. Nothing was changed; please try again in a moment." }, { status: 502 })));
    render(<AccountSessions />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Keycloak could not be reached");
  });

  it("says the app could not be reached when a request gets no answer at all, and gives the buttons back", async () => {
    server.use(
      http.get("*/api/account/sessions", () => HttpResponse.json({ sessions })),
      http.delete("*/api/account/sessions/:id", () => HttpResponse.error()),
    );
    render(<AccountSessions />);
    await userEvent.click(await screen.findByRole("button", { name: "Sign out Safari/18 on iOS iPhone" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The app could not be reached from this browser. Nothing was changed");
    expect(screen.getByRole("button", { name: "Sign out Safari/18 on iOS iPhone" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Sign out everywhere" })).toBeEnabled();
  });

  it("says the app could not be reached when the list gets no answer, instead of loading forever", async () => {
    server.use(http.get("*/api/account/sessions", () => HttpResponse.error()));
    render(<AccountSessions />);
    expect(await screen.findByRole("alert")).toHaveTextContent("The app could not be reached from this browser");
    expect(screen.queryByText("Loading your sessions…")).toBeNull();
  });

  it("says the session has ended, with Sign in, when the route says so (not an outage)", async () => {
    server.use(http.get("*/api/account/sessions", () => HttpResponse.json({ error: "SESSION_ENDED", message: "Your session has ended. Please sign in again." }, { status: 401 })));
    render(<AccountSessions />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Your session has ended.");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("names the session store when it is the store that is unavailable", async () => {
    const message = "The session store is unavailable right now, so your session could not be confirmed. Nothing was changed; please try again in a moment.";
    server.use(http.get("*/api/account/sessions", () => HttpResponse.json({ error: "STORE_UNAVAILABLE", message }, { status: 503 })));
    render(<AccountSessions />);
    expect(await screen.findByRole("alert")).toHaveTextContent("session store is unavailable");
    expect(screen.queryByRole("button", { name: "Sign in" })).toBeNull();
  });
});
