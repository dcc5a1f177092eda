import Head from "next/head";
import Link from "next/link";
import type { ReactNode } from "react";
import { AuthButton } from "./AuthButton";

/** Page frame: title, navigation, the one auth button, and the content. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <Head>
        <title>{`${title} · Keycloak sign-out demo`}</title>
      </Head>
      <header className="site-header">
        <nav aria-label="Main">
          <Link href="/">Home</Link>
          <Link href="/profile">Profile</Link>
          <Link href="/admin">Admin</Link>
        </nav>
        <AuthButton />
      </header>
      <main>
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
