import type { GetServerSideProps } from "next";
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

export default function Profile({ user }: { user: SessionUser }) {
  const [userinfo, setUserinfo] = useState<UserInfo | null>(null);
  const [failed, setFailed] = useState(false);

  async function loadUserinfo() {
    setFailed(false);
    const response = await fetch("/api/keycloak/userinfo");
    if (response.ok) setUserinfo((await response.json()) as UserInfo);
    else setFailed(true);
  }

  return (
    <Layout title="Profile">
      <dl className="user">
        <dt>Name</dt>
        <dd>{user.name ?? "—"}</dd>
        <dt>Email</dt>
        <dd>{user.email ?? "—"}</dd>
        <dt>Realm roles</dt>
        <dd>{user.realmRoles.length ? user.realmRoles.join(", ") : "none"}</dd>
        <dt>App roles</dt>
        <dd>{user.clientRoles.length ? user.clientRoles.join(", ") : "none"}</dd>
      </dl>
      <h2>From Keycloak</h2>
      <p>The server calls Keycloak&apos;s userinfo endpoint with your access token; the token stays on the server.</p>
      <button type="button" onClick={loadUserinfo}>
        Load userinfo
      </button>
      {failed && <p role="alert">Keycloak could not be reached. Please try again.</p>}
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

export const getServerSideProps: GetServerSideProps<{ user: SessionUser }> = async (context) => {
  const guard = await getAuth().guardPage(context);
  if (guard.kind === "redirect") return { redirect: guard.redirect };
  return { props: { user: guard.user } };
};
