import type { GetServerSideProps } from "next";
import type { Session } from "next-auth";
import Link from "next/link";
import { useRouter } from "next/router";
import { SIGNED_OUT_EVERYWHERE_PARAM } from "@/components/AccountSessions";
import { Layout } from "@/components/Layout";
import { useLiveSession } from "@/components/LiveSession";
import { UserSummary } from "@/components/UserSummary";
import { getEnv } from "@/lib/config/env";
import { getAuth } from "@/lib/processAuth";

/** The demo realm's users (keycloak/realm-nextjs.json), as the README lists them. */
const TEST_USERS = [
  { username: "alice", password: "alice-password", shows: "a user: Profile, Your sessions" },
  { username: "admin", password: "admin-password", shows: "the admin page (asks for the password again after 5 min)" },
  { username: "many-roles", password: "many-roles-password", shows: "41 roles in one session" },
] as const;

interface HomeProps {
  session: Session | null;
  /** Keycloak's admin console for the configured issuer. */
  consoleUrl: string;
}

/** The home page explains the demo in one screen: what to try, and with whom. */
export default function Home({ consoleUrl }: HomeProps) {
  const { data: session } = useLiveSession();
  const signedIn = Boolean(session?.user);
  const ended = Number(useRouter().query[SIGNED_OUT_EVERYWHERE_PARAM]);
  return (
    <Layout title="Sign-out that really signs you out">
      <p className="lead">
        This Next.js app signs you in with Keycloak. Its sign-out also ends your Keycloak session, so the next sign-in asks for
        your password again, where a plain next-auth sign-out would let you straight back in.
      </p>

      {!signedIn && ended > 0 && (
        <p className="notice" role="status">
          You signed out everywhere: {ended === 1 ? "your only session" : `all ${ended} of your sessions`} ended, this one
          included. Every device asks for the password again.
        </p>
      )}

      <section className="card" aria-labelledby="you-heading">
        <h2 id="you-heading">{signedIn ? "You are signed in" : "Your session"}</h2>
        <UserSummary />
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="try-heading">
          <h2 id="try-heading">Try it in 60 seconds</h2>
          <ol className="steps">
            <li>
              <span>
                <strong>Sign in</strong> as <code>alice</code> with the password <code>alice-password</code>.
              </span>
            </li>
            <li>
              <span>
                <strong>Sign out</strong> (top right).
              </span>
            </li>
            <li>
              <span>
                <strong>Sign in again</strong>: Keycloak asks for the password. Its session really ended.
              </span>
            </li>
          </ol>
          <p className="hint">
            Then open <Link href="/profile">Profile</Link> to see and end your Keycloak sessions on other devices.
          </p>
        </section>

        <section className="card" aria-labelledby="users-heading" id="test-users">
          <h2 id="users-heading">Test users</h2>
          <table className="users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Password</th>
                <th scope="col" className="shows">
                  Shows
                </th>
              </tr>
            </thead>
            <tbody>
              {TEST_USERS.map((user) => (
                <tr key={user.username}>
                  <td>
                    <code>{user.username}</code>
                  </td>
                  <td>
                    <code>{user.password}</code>
                  </td>
                  <td className="shows">{user.shows}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">
            With a real Keycloak (<code>npm run keycloak</code>), its <a href={consoleUrl}>admin console</a> shows the
            sessions; sign in there as <code>admin</code> / <code>admin</code>.
          </p>
        </section>
      </div>
    </Layout>
  );
}

// Rendering the session on the server avoids a signed-out flash and runs the session checks per visit.
export const getServerSideProps: GetServerSideProps<HomeProps> = async ({ req, res }) => {
  const outcome = await getAuth().sessions.read(req, res);
  return {
    props: {
      session: outcome.status === "signed-out" ? null : outcome.session,
      consoleUrl: `${new URL(getEnv().KEYCLOAK_ISSUER).origin}/admin/`,
    },
  };
};
