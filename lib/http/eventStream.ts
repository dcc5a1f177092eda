import type { ServerResponse } from "node:http";

/** An open server-sent events response (HTML Living Standard, "Server-sent events"). */
export interface EventStream {
  /** Sends one named event with a JSON payload. */
  send(event: string, data: unknown): void;
  /** Ends the response. */
  close(): void;
  /** Calls `listener` when the browser goes away. */
  onClose(listener: () => void): void;
}

/**
 * Starts an event stream on `res`: no caching, no proxy buffering (`X-Accel-Buffering: no` for nginx), the browser's
 * reconnection delay (`retry`, ms), and a comment line every `heartbeatMs` so proxies and the browser keep the
 * connection open.
 */
export function openEventStream(res: ServerResponse, options: { retryMs: number; heartbeatMs: number }): EventStream {
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",
    Connection: "keep-alive",
  });
  // A compressing server buffers what it writes until flushed (Next's compression middleware adds flush()).
  const write = (text: string) => {
    res.write(text);
    (res as ServerResponse & { flush?: () => void }).flush?.();
  };
  write(`retry: ${options.retryMs}\n\n`);
  const heartbeat = setInterval(() => write(": keep-alive\n\n"), options.heartbeatMs);
  heartbeat.unref();
  const closeListeners: (() => void)[] = [];
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of closeListeners) listener();
  };
  res.on("close", finish);
  return {
    send(event, data) {
      if (!closed) write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      finish();
      res.end();
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}
