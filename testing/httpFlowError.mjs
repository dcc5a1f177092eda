// @ts-check
// The error of a failed step in an HTTP sign-in or sign-out. Its message names the step, the status and the
// URL's path only: query strings carry codes and hints, and test output must never show a credential.

/** A failed step of a flow, without secrets in its message. */
export class HttpFlowError extends Error {
  /**
   * @param {string} step what was attempted, e.g. "POST /api/auth/signout"
   * @param {number} [status] the HTTP status that made it fail
   * @param {string | URL} [url] where; only its origin and path are shown
   */
  constructor(step, status, url) {
    const facts = [status === undefined ? "" : `status ${status}`, url ? `at ${new URL(url).origin}${new URL(url).pathname}` : ""];
    const details = facts.filter(Boolean).join(", ");
    super(`${step} failed${details ? ` (${details})` : ""}`);
    this.name = "HttpFlowError";
    this.status = status;
  }
}
