import type { GetServerSideProps } from "next";
import type { Session } from "next-auth";
import { Layout } from "@/components/Layout";
import { UserSummary } from "@/components/UserSummary";
import { readSession } from "@/lib/nextauth/sessionReader";

export default function Home() {
  return (
    <Layout title="Home">
      <UserSummary />
      <p className="hint">
        Signing out here also ends your Keycloak session: the next sign-in asks for your password again.
      </p>
    </Layout>
  );
}

// Rendering the session on the server avoids a signed-out flash and runs the session checks per visit.
export const getServerSideProps: GetServerSideProps<{ session: Session | null }> = async ({ req, res }) => ({
  props: { session: await readSession(req, res) },
});
