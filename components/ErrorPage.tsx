import Link from "next/link";
import type { ReactNode } from "react";
import { Layout } from "./Layout";

/** An error page in the app's shell: the status as the eyebrow, what happened, and a way on to the home page. */
export function ErrorPage({ status, title, children }: { status: number; title: string; children: ReactNode }) {
  return (
    <Layout title={title} eyebrow={String(status)}>
      <p>{children}</p>
      <p className="actions">
        <Link className="button primary" href="/">
          Go to the home page
        </Link>
      </p>
    </Layout>
  );
}
