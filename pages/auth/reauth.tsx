import { signIn } from "next-auth/react";
import { useRouter } from "next/router";
import { BusyButton } from "@/components/BusyButton";
import { Layout } from "@/components/Layout";
import { safeCallbackUrl } from "@/components/callbackUrl";

/** The page's own path with the flag that stops a second round trip (lib/nextauth/guardPage.ts, REAUTH_FLAG). */
function withReauthFlag(path: string): string {
  const url = new URL(path, window.location.origin);
  url.searchParams.set("reauth", "1");
  return `${url.pathname}${url.search}`;
}

/**
 * Where a sensitive page sends a session whose password entry is too old: Keycloak is asked again with `max_age`, so
 * it shows its login form even while the SSO session lives, and the user comes back to the page, still signed in.
 */
export default function Reauthenticate() {
  const { query } = useRouter();
  const maxAge = typeof query.maxAge === "string" && /^\d+$/.test(query.maxAge) ? query.maxAge : "300";
  return (
    <Layout title="Confirm it is you">
      <p>This page is sensitive: Keycloak needs your password again before you continue.</p>
      <BusyButton
        className="primary"
        label="Continue to Keycloak"
        busyLabel="Opening Keycloak…"
        action={() =>
          signIn("keycloak", { callbackUrl: withReauthFlag(safeCallbackUrl(query.callbackUrl, window.location.origin)) }, { max_age: maxAge })
        }
      />
    </Layout>
  );
}
