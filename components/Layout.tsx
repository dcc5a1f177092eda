import Head from "next/head";
import Link from "next/link";
import { useRouter } from "next/router";
import type { ReactNode } from "react";
import { AuthButton } from "./AuthButton";

const NAV = [
  { href: "/", label: "Home" },
  { href: "/profile", label: "Profile" },
  { href: "/admin", label: "Admin" },
] as const;

/** Page frame: title, a skip link, navigation marking the current page, the one auth button, and the content. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { pathname } = useRouter();
  return (
    <>
      <Head>
        <title>{`${title} · Keycloak sign-out demo`}</title>
      </Head>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <nav aria-label="Main">
          {NAV.map(({ href, label }) => (
            <Link key={href} href={href} aria-current={pathname === href ? "page" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <AuthButton />
      </header>
      {/* tabIndex -1: the skip link moves keyboard focus here, not only the scroll position. */}
      <main id="main" tabIndex={-1}>
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
