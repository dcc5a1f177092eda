import { signOut, useSession } from "next-auth/react";
import { useState } from "react";
import { Layout } from "@/components/Layout";

/** next-auth's sign-out page (`pages.signOut`): shown for GET /api/auth/signout and after a failed CSRF check. */
export default function SignOut() {
  const { data: session, status } = useSession();
  const [busy, setBusy] = useState(false);
  const signedIn = status === "authenticated" && !!session?.user;
  return (
    <Layout title="Sign out">
      {signedIn ? (
        <>
          <p>Signing out also ends your Keycloak session: the next sign-in asks for your password again.</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            aria-busy={busy}
            onClick={() => {
              setBusy(true);
              void signOut({ callbackUrl: "/" });
            }}
          >
            {busy ? "Signing out…" : "Sign out"}
          </button>
        </>
      ) : (
        <p>{status === "loading" ? "Checking your session…" : "You are signed out."}</p>
      )}
    </Layout>
  );
}
