import Link from "next/link";
import { Layout } from "@/components/Layout";

/** The app's own "not found" page, in its shell (Next's default is unbranded). */
export default function NotFound() {
  return (
    <Layout title="Page not found" eyebrow="404">
      <p>There is no page at this address. It may have moved, or the link has a typo.</p>
      <p className="actions">
        <Link className="button primary" href="/">
          Go to the home page
        </Link>
      </p>
    </Layout>
  );
}
