// @ts-check
// The rule every test stack checks at teardown: no server log holds a token, an unhandled rejection or an
// error Next.js caught while rendering.

/** @type {[RegExp, string][]} */
const LOG_RULES = [
  [/eyJ[\w-]{10,}\.[\w-]{10,}/, "a JWT (token) in a log line"],
  [/unhandledRejection|Unhandled(Promise)?Rejection|uncaughtException/i, "an unhandled rejection or exception"],
  [/⨯/, "an error Next.js caught while rendering or routing"],
];

/**
 * The lines of the servers' logs that break a rule, named by server and rule, with any token cut short.
 * @param {Record<string, string>} logs server name → its output
 * @returns {string[]}
 */
export function logProblems(logs) {
  const problems = [];
  for (const [server, log] of Object.entries(logs)) {
    for (const line of log.split("\n")) {
      for (const [pattern, what] of LOG_RULES) {
        if (pattern.test(line)) problems.push(`${server}: ${what}: ${line.replace(/eyJ[\w.-]+/g, "eyJ…").slice(0, 200)}`);
      }
    }
  }
  return problems;
}
