/**
 * @jest-environment jest-fixed-jsdom
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SessionProvider } from "next-auth/react";
import { useRouter } from "next/router";
import { sessionErrorMessage } from "@/components/sessionErrorMessage";
import { nextAuthApiHandlers, type NextAuthTraffic } from "@/mocks/nextAuthApi";
import type { SignInDiagnosis } from "@/components/SignInProblem";
import SignIn from "@/pages/auth/signin";
import { setupPageMswServer } from "@/testing/mswLifecycle";

jest.mock("next/router", () => ({ useRouter: jest.fn() }));

const server = setupPageMswServer();

/** The sign-in page as next-auth sends a visitor to it, with these query parameters. */
function renderSignIn(query: Record<string, string>): NextAuthTraffic {
  jest.mocked(useRouter).mockReturnValue({ pathname: "/auth/signin", query } as unknown as ReturnType<typeof useRouter>);
  const traffic: NextAuthTraffic = { signOutBodies: [], signInBodies: [] };
  server.use(...nextAuthApiHandlers(null, traffic));
  render(
    <SessionProvider session={null} refetchOnWindowFocus={false}>
      <SignIn />
    </SessionProvider>,
  );
  return traffic;
}

async function signInAndReadCallbackUrl(query: Record<string, string>): Promise<string | null> {
  const traffic = renderSignIn(query);
  await userEvent.click(screen.getByRole("button", { name: "Sign in with Keycloak" }));
  await waitFor(() => expect(traffic.signInBodies).toHaveLength(1));
  return traffic.signInBodies[0].get("callbackUrl");
}

describe("sign-in page", () => {
  it("keeps the destination next-auth passes as an absolute URL of this origin (GET /api/auth/signin?callbackUrl=/profile)", async () => {
    expect(await signInAndReadCallbackUrl({ callbackUrl: `${window.location.origin}/profile` })).toBe("/profile");
  });

  it("keeps a destination passed as a path (the page guard's redirect)", async () => {
    expect(await signInAndReadCallbackUrl({ callbackUrl: "/admin" })).toBe("/admin");
  });

  it("sends a foreign destination home", async () => {
    expect(await signInAndReadCallbackUrl({ callbackUrl: "https://evil.example/profile" })).toBe("/");
  });

  it("while signing in, the button says Signing in…, is busy and disabled", async () => {
    renderSignIn({});
    await userEvent.click(screen.getByRole("button", { name: "Sign in with Keycloak" }));
    const busy = screen.getByRole("button", { name: "Signing in…" });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");
  });

  it("shows no alert without an error", () => {
    renderSignIn({});
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it.each([
    ["Configuration", /misconfigured/],
    ["OAuthSignin", /could not start: Keycloak did not answer/],
    ["OAuthCallback", /Keycloak did not complete your sign-in/],
    ["Callback", /Keycloak did not complete your sign-in/],
    ["keycloak", /Keycloak did not complete your sign-in/],
    ["SessionUnavailable", /session store is unavailable/],
    ["RefreshAccessTokenError", /Keycloak could not be reached to renew your session/],
    ["SessionRequired", /session has ended/],
    ["SessionEnded", /session has ended/],
    ["ReauthRequired", /must ask for your password/],
    ["AccessDenied", /Access was denied/],
    ["Verification", /no longer valid/],
    ["Unheard-of", /^Sign-in failed\. Please try again\.$/],
  ])("explains error=%s in an alert", (code, text) => {
    renderSignIn({ error: code });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(text);
    expect(alert).toHaveTextContent(sessionErrorMessage(code));
  });

  it("tells a misconfigured server apart from a provider that failed the sign-in", () => {
    renderSignIn({ error: "Configuration" });
    const configuration = screen.getByRole("alert").textContent;
    document.body.innerHTML = "";
    renderSignIn({ error: "OAuthCallback" });
    expect(screen.getByRole("alert").textContent).not.toBe(configuration);
  });
});

describe("sign-in page with the server's diagnosis of a failure at Keycloak", () => {
  function renderWith(error: string, diagnosis: SignInDiagnosis) {
    jest.mocked(useRouter).mockReturnValue({ pathname: "/auth/signin", query: { error } } as unknown as ReturnType<typeof useRouter>);
    server.use(...nextAuthApiHandlers(null, { signOutBodies: [], signInBodies: [] }));
    render(
      <SessionProvider session={null} refetchOnWindowFocus={false}>
        <SignIn diagnosis={diagnosis} />
      </SessionProvider>,
    );
  }
  const issuer = "http://localhost:8080/realms/myrealm";

  it("says Keycloak answered but refused the realm, naming it and what to check", () => {
    renderWith("OAuthSignin", { kind: "realm-refused", issuer, realm: "myrealm", status: 404 });
    expect(screen.getByRole("alert")).toHaveTextContent('Keycloak answered, but refused: it has no realm "myrealm" (HTTP 404).');
    expect(screen.getByText(/What to check/)).toBeInTheDocument();
    expect(screen.getByText(issuer)).toBeInTheDocument();
  });

  it("says Keycloak did not answer, naming where it was looked for", () => {
    renderWith("OAuthSignin", { kind: "no-answer", issuer });
    expect(screen.getByRole("alert")).toHaveTextContent("Keycloak did not answer at http://localhost:8080.");
  });

  it("points a refused callback at the client id, secret and redirect URI", () => {
    renderWith("OAuthCallback", { kind: "client-refused", issuer, clientId: "nextjs-app", redirectUri: "http://localhost:3000/api/auth/callback/keycloak" });
    expect(screen.getByRole("alert")).toHaveTextContent(sessionErrorMessage("OAuthCallback"));
    expect(screen.getByText("http://localhost:3000/api/auth/callback/keycloak")).toBeInTheDocument();
    expect(screen.getByText("KEYCLOAK_CLIENT_SECRET")).toBeInTheDocument();
  });
});
