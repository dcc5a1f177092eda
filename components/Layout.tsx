import Head from "next/head";
import Link from "next/link";
import { useRouter } from "next/router";
import type { ReactNode } from "react";
import { SessionEndedNotice } from "./SessionEndedNotice";
import { useSessionEnded } from "./LiveSession";
import { Logo } from "./Logo";
import { useDropQueryFlag } from "./useDropQueryFlag";
import { UserMenu } from "./UserMenu";

/** The app's name, in the header and every page title. */
export const APP_NAME = "Keycloak sign-out demo";

const NAV = [
  { href: "/", label: "Home" },
  { href: "/profile", label: "Profile" },
  { href: "/admin", label: "Admin" },
] as const;

/**
 * Page frame: title, a skip link, the header (the app's name, navigation marking the current page, who is signed in
 * and the one auth button), the page's heading and content. `eyebrow` is a short line above the heading (e.g. "404").
 */
export function Layout({ title, eyebrow, children }: { title: string; eyebrow?: string; children: ReactNode }) {
  const { pathname } = useRouter();
  // The re-authentication round trip's flag (lib/nextauth/guardPage.ts) has done its job once the page is shown.
  useDropQueryFlag("reauth");
  // Once the session ends (live channel or refetch), what the page showed for it is hidden.
  const ended = useSessionEnded();
  return (
    <>
      <Head>
        <title>{`${title} · ${APP_NAME}`}</title>
      </Head>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            <Logo />
            <span>{APP_NAME}</span>
          </Link>
          <nav aria-label="Main" className="site-nav">
            {NAV.map(({ href, label }) => (
              <Link key={href} href={href} aria-current={pathname === href ? "page" : undefined}>
                {label}
              </Link>
            ))}
          </nav>
          <UserMenu />
        </div>
      </header>
      {/* tabIndex -1: the skip link moves keyboard focus here, not only the scroll position. */}
      <main id="main" tabIndex={-1}>
        {ended ? (
          <SessionEndedNotice reason={ended} />
        ) : (
          <>
            {eyebrow && <p className="error-code">{eyebrow}</p>}
            <h1>{title}</h1>
            {children}
          </>
        )}
      </main>
    </>
  );
}
