import { signIn } from "next-auth/react";
import { useRouter } from "next/router";
import { Layout } from "@/components/Layout";
import { sessionErrorMessage } from "@/components/sessionErrorMessage";

/** Only same-origin paths: next-auth's redirect callback checks again, this keeps the page honest. */
function safeCallbackUrl(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

/** next-auth's sign-in and error page: one button, and a clear message when something went wrong. */
export default function SignIn() {
  const { query } = useRouter();
  const callbackUrl = safeCallbackUrl(query.callbackUrl);
  const error = typeof query.error === "string" ? query.error : undefined;
  return (
    <Layout title="Sign in">
      {error && <p role="alert">{sessionErrorMessage(error)}</p>}
      <p>This app signs you in with Keycloak.</p>
      <button type="button" className="primary" onClick={() => signIn("keycloak", { callbackUrl })}>
        Sign in with Keycloak
      </button>
    </Layout>
  );
}
