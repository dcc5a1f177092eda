// @ts-check
// A TCP proxy in front of Keycloak that injects network faults on demand, for tests that need Keycloak
// unreachable, hanging or resetting while the app keeps its real configuration. It forwards bytes only,
// so the Host header (and with it the issuer Keycloak derives per request) is the proxy's address.
import http from "node:http";
import net from "node:net";

/**
 * pass: forward. hang: accept, never answer. reset: accept, then TCP RST. refuse: nothing listens
 * (ECONNREFUSED), as when Keycloak is down. status503: answer every HTTP request with a 503 page, as a
 * Keycloak behind a load balancer with no healthy node (HTTP targets only).
 * @typedef {"pass" | "hang" | "reset" | "refuse" | "status503"} FaultMode
 */

/** @type {readonly FaultMode[]} */
export const FAULT_MODES = ["pass", "hang", "reset", "refuse", "status503"];

const UNAVAILABLE_BODY = "<html><body><h1>503 Service Unavailable</h1></body></html>";
/** What status503 answers, whatever was asked. */
const UNAVAILABLE_RESPONSE =
  `HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\ncontent-length: ${UNAVAILABLE_BODY.length}\r\nconnection: close\r\n\r\n${UNAVAILABLE_BODY}`;

/** Loopback addresses the proxy listens on: "localhost" may resolve to either. */
const LOOPBACK = ["127.0.0.1", "::1"];

/**
 * Starts the proxy on `port` (loopback) forwarding to `targetPort`, and, with `controlPort`, a control
 * endpoint for other processes: `PUT /mode` with the mode as body, `GET /mode`.
 * @param {{ port: number, targetPort: number, targetHost?: string, controlPort?: number }} options
 */
export async function startFaultProxy({ port, targetPort, targetHost = "127.0.0.1", controlPort }) {
  /** @type {FaultMode} */
  let mode = "pass";
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  /** @type {net.Server[]} */
  let listeners = [];

  /** @param {net.Socket} client */
  const onConnection = (client) => {
    track(client);
    if (mode === "reset") return void client.resetAndDestroy();
    if (mode === "hang") return void client.on("data", () => {});
    if (mode === "status503") return void client.once("data", () => client.end(UNAVAILABLE_RESPONSE));
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  };

  /** @param {net.Socket} socket */
  const track = (socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  };

  const listen = async () => {
    listeners = await Promise.all(
      LOOPBACK.map(
        (host) =>
          new Promise((resolve, reject) => {
            const server = net.createServer(onConnection);
            server.once("error", (error) => (host === "::1" && isNoIpv6(error) ? resolve(null) : reject(error)));
            server.listen(port, host, () => resolve(server));
          }),
      ),
    ).then((servers) => /** @type {net.Server[]} */ (servers.filter(Boolean)));
  };

  const unlisten = async () => {
    await Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve))));
    listeners = [];
  };

  /** @param {FaultMode} next */
  const setMode = async (next) => {
    if (!FAULT_MODES.includes(next)) throw new Error(`unknown fault mode "${next}": use one of ${FAULT_MODES.join(", ")}`);
    // Kept-alive connections would otherwise bypass the new mode (the app's HTTP client reuses them).
    for (const socket of sockets) socket.destroy();
    if (next === "refuse" && listeners.length) await unlisten();
    if (next !== "refuse" && !listeners.length) await listen();
    mode = next;
  };

  await listen();

  /** @type {http.Server | undefined} */
  let control;
  if (controlPort !== undefined) {
    control = http.createServer(async (req, res) => {
      if (req.url !== "/mode") return void res.writeHead(404).end();
      if (req.method === "GET") return void res.writeHead(200, { "content-type": "text/plain" }).end(mode);
      if (req.method !== "PUT") return void res.writeHead(405, { allow: "GET, PUT" }).end();
      let body = "";
      for await (const chunk of req) body += chunk;
      try {
        await setMode(/** @type {FaultMode} */ (body.trim()));
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(400, { "content-type": "text/plain" }).end(String(/** @type {Error} */ (error).message));
      }
    });
    await new Promise((resolve, reject) => {
      control?.once("error", reject);
      control?.listen(controlPort, "127.0.0.1", () => resolve(undefined));
    });
  }

  return {
    port,
    mode: () => mode,
    setMode,
    controlUrl: controlPort === undefined ? undefined : `http://127.0.0.1:${controlPort}/mode`,
    /** Closes the listeners, every connection and the control endpoint. */
    async stop() {
      for (const socket of sockets) socket.destroy();
      await unlisten();
      if (control) await new Promise((resolve) => control?.close(resolve));
    },
  };
}

/**
 * Switches a proxy running in another process through its control endpoint.
 * @param {string} controlUrl
 * @param {FaultMode} mode
 */
export async function setFaultMode(controlUrl, mode) {
  const response = await fetch(controlUrl, { method: "PUT", body: mode });
  if (response.status !== 204) throw new Error(`fault proxy refused mode "${mode}": ${response.status} ${await response.text()}`);
}

/** @param {unknown} error */
function isNoIpv6(error) {
  const code = /** @type {{ code?: string }} */ (error).code;
  return code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT";
}
