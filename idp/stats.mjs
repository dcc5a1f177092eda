/** Counters behind GET /_idp/stats. */
export function createStats() {
  const fresh = () => ({
    refreshGrants: 0,
    codeGrants: 0,
    logouts: { hinted: 0, refreshToken: 0, rejected: 0 },
    backchannel: { sent: 0, failed: 0 },
  });
  let counters = fresh();
  return {
    get: () => counters,
    reset() {
      counters = fresh();
    },
  };
}
