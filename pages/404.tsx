import { ErrorPage } from "@/components/ErrorPage";

/** The app's own "not found" page, in its shell (Next's default is unbranded). */
export default function NotFound() {
  return (
    <ErrorPage status={404} title="Page not found">
      There is no page at this address. It may have moved, or the link has a typo.
    </ErrorPage>
  );
}
