import type { GetServerSideProps } from "next";
import type { Session } from "next-auth";
import { useState } from "react";
import { AccountSessions } from "@/components/AccountSessions";
import { Layout } from "@/components/Layout";
import type { SessionUser } from "@/lib/nextauth/guardPage";
import { getAuth } from "@/lib/processAuth";

interface UserInfo {
  sub?: string;
  name?: string;
  email?: string;
  preferred_username?: string;
}

/** Roles as compact chips: 40 of them stay readable. */
function Roles({ roles, label }: { roles: string[]; label: string }) {
  if (!roles.length) return <>none</>;
  return (
    <ul className="chips" aria-label={label}>
      {roles.map((role) => (
        <li key={role}>{role}</li>
      ))}
    </ul>
  );
}

export default function Profile({ user }: { user: SessionUser }) {
  const [userinfo, setUserinfo] = useState<UserInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  async function loadUserinfo() {
    setFailure(null);
    const response = await fetch("/api/keycloak/userinfo").catch(() => null);
    if (!response) setFailure("The app could not be reached from this browser. Check your connection and try again.");
    else if (response.ok) setUserinfo((await response.json()) as UserInfo);
    // The route says what failed: the session ended, the session store, or Keycloak (lib/http/sendError.ts).
    else setFailure(((await response.json().catch(() => ({}))) as { message?: string }).message ?? "Keycloak could not be reached. Please try again.");
  }

  return (
    <Layout title="Profile">
      <dl className="user">
        <dt>Name</dt>
        <dd>{user.name ?? "—"}</dd>
        <dt>Email</dt>
        <dd>{user.email ?? "—"}</dd>
        <dt>Realm roles</dt>
        <dd>
          <Roles roles={user.realmRoles} label="Realm roles" />
        </dd>
        <dt>App roles</dt>
        <dd>
          <Roles roles={user.clientRoles} label="App roles" />
        </dd>
      </dl>
      <h2>From Keycloak</h2>
      <p>The server calls Keycloak&apos;s userinfo endpoint with your access token; the token stays on the server.</p>
      <button type="button" onClick={loadUserinfo}>
        Load userinfo
      </button>
      {failure && <p role="alert">{failure}</p>}
      {userinfo && (
        <dl className="user" aria-label="Userinfo">
          <dt>Username</dt>
          <dd>{userinfo.preferred_username ?? "—"}</dd>
          <dt>Subject</dt>
          <dd>{userinfo.sub ?? "—"}</dd>
        </dl>
      )}
      <AccountSessions />
    </Layout>
  );
}

export const getServerSideProps: GetServerSideProps<{ user: SessionUser; session: Session }> = async (context) => {
  const guard = await getAuth().guardPage(context);
  if (guard.kind === "redirect") return { redirect: guard.redirect };
  return { props: { user: guard.user, session: guard.session } };
};
