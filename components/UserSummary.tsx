import { signOut } from "next-auth/react";
import { BusyButton } from "./BusyButton";
import { useLiveSession } from "./LiveSession";
import { sessionErrorMessage } from "./sessionErrorMessage";

/** Who is signed in (name and email), or that nobody is, or why the session could not be confirmed. */
export function UserSummary() {
  const { data: session, status } = useLiveSession();
  if (status === "loading") return <p>Checking your session…</p>;
  if (session?.error) {
    // The cookie is kept through an outage; signing out here ends it (and Keycloak's session) for good.
    return (
      <div role="alert">
        <p>{sessionErrorMessage(session.error)}</p>
        <BusyButton label="Sign out" busyLabel="Signing out…" action={() => signOut({ callbackUrl: "/" })} />
      </div>
    );
  }
  if (!session?.user) return <p>You are signed out.</p>;
  return (
    <dl className="user">
      <dt>Name</dt>
      <dd>{session.user.name ?? "—"}</dd>
      <dt>Email</dt>
      <dd>{session.user.email ?? "—"}</dd>
    </dl>
  );
}
