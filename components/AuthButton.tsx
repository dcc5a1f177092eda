import { signIn, signOut } from "next-auth/react";
import { BusyButton } from "./BusyButton";
import { useLiveSession } from "./LiveSession";
import { hasSessionToEnd } from "./sessionState";

/** "Sign in" when signed out, "Sign out" while a session exists (even one that cannot be confirmed right now); sign-out lands on the signed-out home page, never on a protected page that would ask to sign in again. */
export function AuthButton() {
  const { data: session, status } = useLiveSession();
  if (status === "loading") {
    return (
      <button type="button" disabled>
        Loading…
      </button>
    );
  }
  if (hasSessionToEnd(session)) {
    return <BusyButton label="Sign out" busyLabel="Signing out…" action={() => signOut({ callbackUrl: "/" })} />;
  }
  return <BusyButton className="primary" label="Sign in" busyLabel="Signing in…" action={() => signIn("keycloak")} />;
}
