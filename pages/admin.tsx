import type { GetServerSideProps } from "next";
import { Layout } from "@/components/Layout";
import { guardPage, type SessionUser } from "@/lib/nextauth/guardPage";

const REQUIRED_ROLE = "admin";

export default function Admin({ user, forbidden }: { user: SessionUser; forbidden: boolean }) {
  if (forbidden) {
    return (
      <Layout title="403 Forbidden">
        <p role="alert">
          You are signed in as {user.name ?? user.email}, but this page needs the Keycloak realm role{" "}
          <code>{REQUIRED_ROLE}</code>. Ask an administrator to grant it, then sign in again.
        </p>
      </Layout>
    );
  }
  return (
    <Layout title="Admin">
      <p>Welcome, {user.name}. Only users with the realm role <code>{REQUIRED_ROLE}</code> see this page.</p>
    </Layout>
  );
}

export const getServerSideProps: GetServerSideProps<{ user: SessionUser; forbidden: boolean }> = async (context) => {
  const guard = await guardPage(context, { realmRole: REQUIRED_ROLE });
  if (guard.kind === "redirect") return { redirect: guard.redirect };
  return { props: { user: guard.user, forbidden: guard.kind === "forbidden" } };
};
