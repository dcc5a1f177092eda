import type { GetServerSideProps } from "next";
import type { Session } from "next-auth";
import { Layout } from "@/components/Layout";
import { PasswordNeeded } from "@/components/PasswordNeeded";
import type { SessionUser } from "@/lib/nextauth/guardPage";
import { getAuth } from "@/lib/processAuth";

const REQUIRED_ROLE = "admin";

/** `session` is for the app's SessionProvider (pages/_app.tsx), not for the page. */
type AdminProps = { user: SessionUser; session: Session; outcome: "allowed" | "forbidden" | "reauth-failed"; maxAuthAgeS: number };

/** A sensitive page: the realm role `admin`, and a password entered within KEYCLOAK_REAUTH_MAX_AGE_S. */
export default function Admin({ user, outcome, maxAuthAgeS }: AdminProps) {
  if (outcome === "forbidden") {
    return (
      <Layout title="403 Forbidden">
        <p role="alert">
          You are signed in as {user.name ?? user.email}, but this page needs the Keycloak realm role{" "}
          <code>{REQUIRED_ROLE}</code>. Ask an administrator to grant it, then sign in again.
        </p>
      </Layout>
    );
  }
  if (outcome === "reauth-failed") {
    return (
      <Layout title="Password needed">
        <PasswordNeeded maxAuthAgeS={maxAuthAgeS} />
      </Layout>
    );
  }
  return (
    <Layout title="Admin">
      <p>Welcome, {user.name}. Only users with the realm role <code>{REQUIRED_ROLE}</code> see this page.</p>
      <p className="hint">
        Because it is sensitive, this page asks for your password again when you last entered it more than {maxAuthAgeS}{" "}
        seconds ago.
      </p>
    </Layout>
  );
}

export const getServerSideProps: GetServerSideProps<AdminProps> = async (context) => {
  const maxAuthAgeS = getAuth().env.KEYCLOAK_REAUTH_MAX_AGE_S;
  const guard = await getAuth().guardPage(context, { realmRole: REQUIRED_ROLE, maxAuthAgeS });
  if (guard.kind === "redirect") return { redirect: guard.redirect };
  return { props: { user: guard.user, session: guard.session, outcome: guard.kind, maxAuthAgeS } };
};
