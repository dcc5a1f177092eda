import { signIn } from "next-auth/react";
import { useRouter } from "next/router";
import { BusyButton } from "@/components/BusyButton";
import { Layout } from "@/components/Layout";
import { safeCallbackUrl } from "@/components/callbackUrl";
import { sessionErrorMessage } from "@/components/sessionErrorMessage";

/** next-auth's sign-in and error page: one button, and a clear message when something went wrong. */
export default function SignIn() {
  const { query } = useRouter();
  const error = typeof query.error === "string" ? query.error : undefined;
  return (
    <Layout title="Sign in">
      {error && <p role="alert">{sessionErrorMessage(error)}</p>}
      <p>This app signs you in with Keycloak.</p>
      <BusyButton
        className="primary"
        label="Sign in with Keycloak"
        busyLabel="Signing in…"
        // Read at click time: the page's own origin exists only in the browser.
        action={() => signIn("keycloak", { callbackUrl: safeCallbackUrl(query.callbackUrl, window.location.origin) })}
      />
    </Layout>
  );
}
