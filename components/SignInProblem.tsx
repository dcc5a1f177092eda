import type { ReactNode } from "react";
import { sessionErrorMessage } from "./sessionErrorMessage";

/**
 * Why a sign-in with Keycloak failed, as far as the server can tell by asking Keycloak's discovery once more
 * (pages/auth/signin.tsx, on the server):
 * - "no-answer": nothing answered at the issuer (down, wrong host or port);
 * - "realm-refused": a server answered but refused the realm (Keycloak: 404 "Realm does not exist");
 * - "provider-error": a server answered with another error status (starting, overloaded, broken);
 * - "client-refused": discovery works, but Keycloak did not complete the code exchange: client id, secret or
 *   redirect URI (or a moment of trouble at Keycloak).
 * null: not a failure at Keycloak, or nothing more to tell than next-auth's code.
 */
export type SignInDiagnosis =
  | { kind: "no-answer"; issuer: string }
  | { kind: "realm-refused"; issuer: string; realm: string; status: number }
  | { kind: "provider-error"; issuer: string; status: number }
  | { kind: "client-refused"; issuer: string; clientId: string; redirectUri: string };

/** What went wrong with Keycloak, in one sentence, and what the person running the app should check. */
export function SignInProblem({ diagnosis, error }: { diagnosis: SignInDiagnosis; error: string }) {
  const origin = new URL(diagnosis.issuer).origin;
  switch (diagnosis.kind) {
    case "no-answer":
      return (
        <Problem summary={`Keycloak did not answer at ${origin}. Please try again in a moment.`}>
          <li>
            Keycloak runs and listens there: <code>npm run keycloak</code> or <code>docker compose up -d</code>;{" "}
            <code>npm run dev</code> starts the built-in provider when nothing answers.
          </li>
          <li>
            The host and port in <code>KEYCLOAK_ISSUER</code> (<code>{diagnosis.issuer}</code>).
          </li>
        </Problem>
      );
    case "realm-refused":
      return (
        <Problem summary={`Keycloak answered, but refused: it has no realm "${diagnosis.realm}" (HTTP ${diagnosis.status}).`}>
          <li>
            The realm in <code>KEYCLOAK_ISSUER</code> (<code>{diagnosis.issuer}</code>); this repository&apos;s realm is{" "}
            <code>nextjs</code>.
          </li>
          <li>
            That the realm was imported there from <code>keycloak/realm-nextjs.json</code> (<code>npm run keycloak</code> does).
          </li>
        </Problem>
      );
    case "provider-error":
      return (
        <Problem summary={`Keycloak answered with an error (HTTP ${diagnosis.status}) and could not start the sign-in. Please try again in a moment.`}>
          <li>Keycloak&apos;s own log at {origin}: it may still be starting, or be overloaded.</li>
        </Problem>
      );
    case "client-refused":
      return (
        <Problem summary={sessionErrorMessage(error)}>
          <li>
            <code>KEYCLOAK_CLIENT_ID</code> (<code>{diagnosis.clientId}</code>) and <code>KEYCLOAK_CLIENT_SECRET</code> match the
            client in the realm (admin console, Clients, Credentials).
          </li>
          <li>
            The client allows the redirect URI <code>{diagnosis.redirectUri}</code>; with <code>npm run keycloak</code>, start it
            with the app&apos;s <code>NEXTAUTH_URL</code>.
          </li>
          <li>The app&apos;s server log, which records Keycloak&apos;s answer.</li>
        </Problem>
      );
  }
}

function Problem({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <>
      <p role="alert">{summary}</p>
      <details className="card" open>
        <summary>What to check (for whoever runs this app)</summary>
        <ul className="checklist">{children}</ul>
      </details>
    </>
  );
}
