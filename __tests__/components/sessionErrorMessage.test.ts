import { sessionErrorMessage } from "@/components/sessionErrorMessage";

describe("sessionErrorMessage", () => {
  it("says the server is misconfigured for next-auth's Configuration error, not that Keycloak did not answer", () => {
    expect(sessionErrorMessage("Configuration")).toMatch(/misconfigured/);
    expect(sessionErrorMessage("Configuration")).not.toMatch(/Keycloak/);
  });

  it("says Keycloak failed or refused the sign-in for OAuthCallback, Callback and keycloak", () => {
    const message = sessionErrorMessage("OAuthCallback");
    expect(message).toMatch(/Keycloak did not complete your sign-in/);
    expect(sessionErrorMessage("Callback")).toBe(message);
    expect(sessionErrorMessage("keycloak")).toBe(message);
  });

  it("gives every cause its own message", () => {
    const codes = [
      "Configuration",
      "OAuthSignin",
      "OAuthCallback",
      "SessionUnavailable",
      "RefreshAccessTokenError",
      "SessionRequired",
      "ReauthRequired",
      "AccessDenied",
      "Verification",
      "SomethingElse",
    ];
    expect(new Set(codes.map(sessionErrorMessage)).size).toBe(codes.length);
  });

  it("tells an outage of the session store, Keycloak unreachable and a session that ended apart (issue 16)", () => {
    expect(sessionErrorMessage("SessionUnavailable")).toMatch(/session store is unavailable/);
    expect(sessionErrorMessage("RefreshAccessTokenError")).toMatch(/Keycloak could not be reached/);
    expect(sessionErrorMessage("SessionEnded")).toMatch(/session has ended/);
  });
});
