/** Counters behind GET /_idp/stats. */
export function createStats() {
  const fresh = () => ({
    refreshGrants: 0,
    codeGrants: 0,
    logouts: { hinted: 0, refreshToken: 0, rejected: 0 },
    // roundTripsMs: the last 100 successful back-channel requests, POST to answer, in ms.
    backchannel: { sent: 0, failed: 0, roundTripsMs: [] },
  });
  let counters = fresh();
  return {
    get: () => counters,
    recordBackchannelRoundTrip(ms) {
      counters.backchannel.roundTripsMs = [...counters.backchannel.roundTripsMs.slice(-99), Math.round(ms * 10) / 10];
    },
    reset() {
      counters = fresh();
    },
  };
}
