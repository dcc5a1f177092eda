// Load generation with autocannon's programmatic API, and the small statistics the table needs.
import http from "node:http";
import autocannon from "autocannon";

/** Median of a list of numbers (mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value at percentile `p` (0-100), nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Closed-loop throughput: `connections` keep-alive connections for `durationS` seconds.
 * `cookiePool`: Cookie headers sent in turn, one per request (see rotating). Returns req/s (mean of the
 * per-second samples), latency p50/p99 in ms, the non-2xx/error counts and,
 * given `cpuMs` (a reader of the server's CPU clock in ms), the server's CPU time per request.
 */
export async function throughput({ url, headers = {}, cookiePool, connections, durationS, cpuMs }) {
  const cpuBefore = cpuMs?.();
  const result = await autocannon({ url, headers, connections, duration: durationS, ...(cookiePool ? rotating(url, headers, cookiePool) : {}) });
  const cpuAfter = cpuMs?.();
  return {
    // The app's CPU time per request, in microseconds (when `cpuMs` reads the app's CPU clock).
    cpuUsPerRequest: cpuMs && result.requests.total ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : null,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Each request takes the next Cookie header of `pool`, whichever connection sends it: one counter for all
 * connections, so a pool of n headers repeats every n requests and no two connections replay the same cookie in
 * step (a per-connection list would, and would hand the app's decoded-cookie cache a hit for most of them).
 */
function rotating(url, headers, pool) {
  let next = 0;
  const path = new URL(url).pathname;
  return {
    requests: [
      {
        method: "GET",
        path,
        setupRequest: (request) => {
          const cookie = pool[next];
          next = next + 1 === pool.length ? 0 : next + 1;
          return { ...request, headers: { ...headers, cookie } };
        },
      },
    ],
  };
}

/**
 * A burst: `count` concurrent connections, one request each, all sent at once. `check(status, body)` says
 * whether a response counts as good. Returns latency percentiles and the number of bad responses.
 */
export async function burst({ url, path, headers = {}, count, check }) {
  let failed = 0;
  let seen = 0;
  const result = await autocannon({
    url,
    connections: count,
    amount: count,
    timeout: 30,
    requests: [
      {
        method: "GET",
        path,
        headers,
        onResponse: (status, body) => {
          seen += 1;
          if (!check(status, String(body ?? ""))) failed += 1;
        },
      },
    ],
  });
  const lost = result.errors + result.timeouts + Math.max(0, count - seen - result.errors - result.timeouts);
  return { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, failed: failed + lost, responses: seen };
}

/** Times `times` sequential requests made by `send(agent)`, in ms; keep-alive agent, after one warm-up. */
export async function timeRequests(times, send) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await send(agent);
  const samples = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await send(agent);
    samples.push(performance.now() - started);
  }
  agent.destroy();
  return samples;
}

/** One HTTP request with node:http; resolves with the status once the body has been read. */
export function httpRequest(url, { method = "GET", headers = {}, body, agent } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode));
    });
    request.on("error", reject);
    request.end(body);
  });
}
