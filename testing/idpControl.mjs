// @ts-check
// The built-in identity provider's dev control API (`/_idp/*`, see idp/README.md): faults, counters,
// sessions and Keycloak's admin "sign out user". Test setup and assertions only; the app never calls it.
import { HttpFlowError } from "./httpFlowError.mjs";

/** @typedef {"logout" | "token" | "auth" | "discovery" | "all"} FaultEndpoint */
/** @typedef {"hang" | "status503" | "reset" | "slow"} FaultMode */
/** @typedef {{ sid: string, sub: string, username: string, createdAt: string, lastRefreshAt: string }} IdpSession */
/**
 * @typedef {{
 *   refreshGrants: number,
 *   codeGrants: number,
 *   logouts: { hinted: number, refreshToken: number, rejected: number },
 *   backchannel: { sent: number, failed: number, roundTripsMs: number[] },
 * }} IdpStats
 */

/**
 * A client for the control API of the provider at `origin` (e.g. http://localhost:8180).
 * @param {string} origin
 */
export function idpControl(origin) {
  /**
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   */
  const call = async (method, path, body) => {
    const response = await fetch(`${origin}${path}`, {
      method,
      // The control API refuses a POST or DELETE without it (a simple cross-site request could send one).
      headers: method === "GET" ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new HttpFlowError(`identity provider control ${method} ${path}`, response.status);
    return response.json();
  };

  /** @returns {Promise<IdpSession[]>} */
  const sessions = () => call("GET", "/_idp/sessions");
  /**
   * The live sessions of `username`, newest first.
   * @param {string} username
   */
  const sessionsOf = async (username) =>
    (await sessions()).filter((s) => s.username === username).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));

  return {
    /**
     * Makes `endpoint` misbehave until cleared; `ms` is the delay of "slow".
     * @param {FaultEndpoint} endpoint
     * @param {FaultMode} mode
     * @param {number} [ms]
     */
    setFault: (endpoint, mode, ms) => call("POST", "/_idp/faults", { endpoint, mode, ms }),
    /** Clears every fault (and drops connections a "hang" holds). */
    clearFaults: () => call("DELETE", "/_idp/faults"),
    /** @returns {Promise<IdpStats>} */
    stats: () => call("GET", "/_idp/stats"),
    /** Zeroes the counters. */
    resetStats: () => call("POST", "/_idp/stats/reset"),
    sessions,
    sessionsOf,
    /**
     * How many live sessions `username` has.
     * @param {string} username
     */
    countSessions: async (username) => (await sessionsOf(username)).length,
    /**
     * Keycloak's admin "sign out": ends the user's sessions with back-channel logout.
     * @param {string} username
     * @returns {Promise<{ ended: number }>}
     */
    logoutUser: (username) => call("POST", `/_idp/users/${encodeURIComponent(username)}/logout`),
  };
}
