import { signIn, signOut, useSession } from "next-auth/react";

/** "Sign in" when signed out, "Sign out" when signed in: next-auth's standard calls, nothing else. */
export function AuthButton() {
  const { data: session, status } = useSession();
  if (status === "loading") {
    return (
      <button type="button" disabled>
        Loading…
      </button>
    );
  }
  if (session?.user) {
    return (
      <button type="button" onClick={() => signOut()}>
        Sign out
      </button>
    );
  }
  return (
    <button type="button" onClick={() => signIn("keycloak")}>
      Sign in
    </button>
  );
}
