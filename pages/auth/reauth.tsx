import { signIn, useSession } from "next-auth/react";
import { useRouter } from "next/router";
import { BusyButton } from "@/components/BusyButton";
import { Layout } from "@/components/Layout";
import { safeCallbackUrl } from "@/components/callbackUrl";

/** The page's own path with the flag that stops a second round trip: when it started (lib/nextauth/guardPage.ts, REAUTH_FLAG). */
function withReauthFlag(path: string): string {
  const url = new URL(path, window.location.origin);
  url.searchParams.set("reauth", String(Math.floor(Date.now() / 1000)));
  return `${url.pathname}${url.search}`;
}

/**
 * Where a sensitive page sends a session whose password entry is too old: Keycloak is asked again with `max_age`, so
 * it shows its login form even while the SSO session lives, and the user comes back to the page, still signed in.
 * A visitor who is not signed in has no password to confirm: they are sent to sign in, and then to the page.
 */
export default function Reauthenticate() {
  const router = useRouter();
  const { query } = router;
  const { status } = useSession({
    required: true,
    onUnauthenticated() {
      const callbackUrl = safeCallbackUrl(query.callbackUrl, window.location.origin);
      void router.replace(`/auth/signin?${new URLSearchParams({ callbackUrl })}`);
    },
  });
  const maxAge = typeof query.maxAge === "string" && /^\d+$/.test(query.maxAge) ? query.maxAge : "300";
  if (status !== "authenticated") {
    return (
      <Layout title="Confirm it is you">
        <p>Checking your session…</p>
      </Layout>
    );
  }
  return (
    <Layout title="Confirm it is you">
      <p>This page is sensitive: Keycloak needs your password again before you continue.</p>
      <p className="hint">You stay signed in; Keycloak shows its login form once, then brings you back.</p>
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
