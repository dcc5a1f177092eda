/** What to tell a person for a session error code or a next-auth sign-in error code. */
export function sessionErrorMessage(code: string): string {
  switch (code) {
    case "RefreshAccessTokenError":
      return "We could not renew your session with Keycloak just now. Try again in a moment, or sign in again.";
    case "SessionRequired":
      return "Your session has ended. Please sign in again.";
    case "SessionUnavailable":
      return "We could not confirm your session right now. Please try again in a moment, or sign in again.";
    case "AccessDenied":
      return "Access was denied.";
    default:
      return "Sign-in with Keycloak failed: the identity provider did not answer or refused the request. Please try again in a moment.";
  }
}
