import Link from "next/link";
import { Layout } from "@/components/Layout";

/** The app's own server-error page, in its shell: the server log holds the details, the visitor gets a way on. */
export default function ServerError() {
  return (
    <Layout title="Something went wrong" eyebrow="500">
      <p>The app could not answer this request. Nothing you did caused it; please try again in a moment.</p>
      <p className="actions">
        <Link className="button primary" href="/">
          Go to the home page
        </Link>
      </p>
    </Layout>
  );
}
