import { ErrorPage } from "@/components/ErrorPage";

/** The app's own server-error page, in its shell: the server log holds the details, the visitor gets a way on. */
export default function ServerError() {
  return (
    <ErrorPage status={500} title="Something went wrong">
      The app could not answer this request. Nothing you did caused it; please try again in a moment.
    </ErrorPage>
  );
}
