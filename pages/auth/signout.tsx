import { signOut, useSession } from "next-auth/react";
import { useRouter } from "next/router";
import { BusyButton } from "@/components/BusyButton";
import { Layout } from "@/components/Layout";
import { safeCallbackUrl } from "@/components/callbackUrl";
import { hasSessionToEnd } from "@/components/sessionState";

/** next-auth's sign-out page (`pages.signOut`): shown for GET /api/auth/signout and after a failed CSRF check. */
export default function SignOut() {
  const { data: session, status } = useSession();
  const { query } = useRouter();
  return (
    <Layout title="Sign out">
      {hasSessionToEnd(session) ? (
        <>
          <p>Signing out also ends your Keycloak session: the next sign-in asks for your password again.</p>
          <BusyButton
            className="primary"
            label="Sign out of this app and Keycloak"
            busyLabel="Signing out…"
            action={() => signOut({ callbackUrl: safeCallbackUrl(query.callbackUrl, window.location.origin) })}
          />
        </>
      ) : (
        <p>{status === "loading" ? "Checking your session…" : "You are signed out."}</p>
      )}
    </Layout>
  );
}
