import axios from "axios";
import type { GetServerSideProps } from "next";
import { signIn } from "next-auth/react";
import { useRouter } from "next/router";
import { BusyButton } from "@/components/BusyButton";
import { Layout } from "@/components/Layout";
import { SignInProblem, type SignInDiagnosis } from "@/components/SignInProblem";
import { safeCallbackUrl } from "@/components/callbackUrl";
import { sessionErrorMessage } from "@/components/sessionErrorMessage";
import { getEnv } from "@/lib/config/env";
import { discover } from "@/lib/keycloak/discovery";

interface SignInProps {
  /** For a failure at Keycloak: did it answer, and what did it refuse. */
  diagnosis?: SignInDiagnosis | null;
}

/** next-auth's sign-in and error page: one button, and a clear message when something went wrong. */
export default function SignIn({ diagnosis }: SignInProps) {
  const { query } = useRouter();
  const error = typeof query.error === "string" ? query.error : undefined;
  return (
    <Layout title="Sign in">
      {diagnosis && error ? <SignInProblem diagnosis={diagnosis} error={error} /> : error && <p role="alert">{sessionErrorMessage(error)}</p>}
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

/** next-auth's codes for a failure at the provider (the rest are the app's own or the user's). */
const PROVIDER_ERRORS = new Set(["OAuthSignin", "OAuthCallback", "Callback", "keycloak"]);
const CALLBACK_ERRORS = new Set(["OAuthCallback", "Callback", "keycloak"]);

/** Asks Keycloak's discovery once more after a failure there: did it answer, and what did it refuse. */
export async function diagnoseSignIn(
  error: string | undefined,
  settings: { issuer: string; clientId: string; appUrl: string },
): Promise<SignInDiagnosis | null> {
  if (!error || !PROVIDER_ERRORS.has(error)) return null;
  const { issuer } = settings;
  try {
    await discover(issuer, AbortSignal.timeout(3000), { fresh: true });
  } catch (failure) {
    const cause = (failure as { cause?: unknown }).cause;
    const status = axios.isAxiosError(cause) ? cause.response?.status : undefined;
    if (status === undefined) return { kind: "no-answer", issuer };
    if (status === 404) return { kind: "realm-refused", issuer, realm: decodeURIComponent(issuer.split("/realms/")[1] ?? ""), status };
    return { kind: "provider-error", issuer, status };
  }
  if (!CALLBACK_ERRORS.has(error)) return null;
  return { kind: "client-refused", issuer, clientId: settings.clientId, redirectUri: `${settings.appUrl}/api/auth/callback/keycloak` };
}

export const getServerSideProps: GetServerSideProps<SignInProps> = async ({ query }) => {
  const env = getEnv();
  const error = typeof query.error === "string" ? query.error : undefined;
  const diagnosis = await diagnoseSignIn(error, { issuer: env.KEYCLOAK_ISSUER, clientId: env.KEYCLOAK_CLIENT_ID, appUrl: env.NEXTAUTH_URL.origin });
  return { props: { diagnosis } };
};
