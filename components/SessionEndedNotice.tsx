import { signIn } from "next-auth/react";
import { BusyButton } from "./BusyButton";
import { sessionEndedNotice, type EndedBecause } from "./LiveSession";

/** What a page shows instead of its content once its session has ended: why, and "Sign in". */
export function SessionEndedNotice({ reason }: { reason: EndedBecause }) {
  return (
    <section className="session-ended" aria-labelledby="session-ended-heading">
      <h1 id="session-ended-heading">You are signed out</h1>
      <p role="alert">{sessionEndedNotice(reason)}</p>
      <BusyButton className="primary" label="Sign in" busyLabel="Signing in…" action={() => signIn("keycloak")} />
    </section>
  );
}
