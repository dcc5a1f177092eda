import Link from "next/link";
import { useRouter } from "next/router";

/**
 * A sensitive page's answer when Keycloak came back from re-authentication without a fresh password entry: what
 * happened, and "Try again", which starts the round trip once more (pages/auth/reauth.tsx).
 */
export function PasswordNeeded({ maxAuthAgeS }: { maxAuthAgeS: number }) {
  const { asPath } = useRouter();
  const back = new URL(asPath, "http://app.invalid");
  back.searchParams.delete("reauth");
  const retry = `/auth/reauth?${new URLSearchParams({ callbackUrl: `${back.pathname}${back.search}`, maxAge: String(maxAuthAgeS) })}`;
  return (
    <>
      <p role="alert">
        This page needs your password entered within the last {maxAuthAgeS} seconds, and Keycloak did not confirm a new
        sign-in.
      </p>
      <p className="actions">
        <Link className="button primary" href={retry}>
          Try again
        </Link>
      </p>
      <p className="hint">If Keycloak keeps signing you in without asking, sign out and sign in again.</p>
    </>
  );
}
