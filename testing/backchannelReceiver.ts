// A stand-in for the app's back-channel logout route: records what the IdP posts.
import http from "node:http";
import type net from "node:net";

/** One back-channel request as received. */
export interface ReceivedLogout {
  contentType: string | undefined;
  logoutToken: string;
}

/** A local receiver; `mode` "hang" never answers, to test the IdP's timeout. */
export interface BackchannelReceiver {
  url: string;
  received: ReceivedLogout[];
  mode: "ok" | "hang";
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedLogout[]>;
  close(): Promise<void>;
}

/** Starts a receiver on a free loopback port. */
export async function startBackchannelReceiver(): Promise<BackchannelReceiver> {
  const received: ReceivedLogout[] = [];
  const waiters: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const receiver = { mode: "ok" } as BackchannelReceiver;

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ contentType: req.headers["content-type"], logoutToken: new URLSearchParams(body).get("logout_token") ?? "" });
      waiters.splice(0).forEach((wake) => wake());
      if (receiver.mode === "hang") return;
      res.writeHead(200, { "cache-control": "no-store" });
      res.end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;

  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/api/auth/backchannel-logout`,
    received,
    async waitFor(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} back-channel requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received;
    },
    async close() {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
