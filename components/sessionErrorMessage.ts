/**
 * What to tell a person for a session error code (types/next-auth.d.ts) or a next-auth sign-in error code
 * (next-auth v4 core: `?error=` on the sign-in and error pages). Each cause says what happened and what to do.
 */
export function sessionErrorMessage(code: string): string {
  switch (code) {
    case "RefreshAccessTokenError":
      return "Keycloak could not be reached to renew your session. Try again in a moment, or sign in again.";
    case "SessionRequired":
    case "SessionEnded":
      return "Your session has ended. Please sign in again.";
    case "SessionUnavailable":
      return "The session store is unavailable right now, so your session could not be confirmed. Please try again in a moment.";
    case "ReauthRequired":
      // lib/nextauth/authOptions.ts refused a sign-in that skipped the password after a failed Keycloak logout.
      return "Your last sign-out could not reach Keycloak, so Keycloak must ask for your password. Please sign in again with your password.";
    case "Configuration":
      // The server's own settings are wrong (next-auth could not start): retrying will not help the user.
      return "The sign-in service is misconfigured, so nobody can sign in right now. Please tell the site's administrator.";
    case "OAuthSignin":
      return "Sign-in could not start: Keycloak did not answer. Please try again in a moment.";
    case "OAuthCallback":
    case "Callback":
    case "keycloak":
      return "Keycloak did not complete your sign-in: it failed or refused the request. Please try again.";
    case "AccessDenied":
      return "Access was denied: this account may not sign in to this app.";
    case "Verification":
      return "This sign-in link is no longer valid: it has expired or was already used. Please sign in again.";
    default:
      return "Sign-in failed. Please try again.";
  }
}
