import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../errors";
import { openEventStream, type EventStream } from "../http/eventStream";
import { log, shortId } from "../log";
import type { SessionEvents } from "../session/sessionEvents";
import type { SessionReader } from "./mirror/sessionRoute";

/** Bounds of the live channel (GET /api/auth/events). */
export interface LiveStreamLimits {
  /** Streams one app session may hold on one instance; a new one closes the oldest (one per browser is the norm). */
  perSession: number;
  /** Streams one instance holds; past it a browser is refused (503) and falls back to polling. */
  perInstance: number;
  heartbeatMs: number;
  /** The browser's reconnection delay, ms. */
  retryMs: number;
}

/** The event a browser receives when its session ends; nothing else is ever sent. */
export const SESSION_ENDED_EVENT = "session-ended";

/**
 * The live channel of each browser: a server-sent events stream, authenticated by the session cookie, that says
 * when that browser's session has ended and why (`{ reason }`, an EndReason) and nothing else. The stream closes
 * once it has said so.
 */
export function createLiveStreams(deps: { sessions: SessionReader; events: SessionEvents; limits: LiveStreamLimits }) {
  const { sessions, events, limits } = deps;
  const bySession = new Map<string, EventStream[]>();
  let open = 0;

  return {
    get open() {
      return open;
    },
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const read = await sessions.read(req, res);
      if (read.status === "unavailable") throw new AppError(read.code, "The session could not be confirmed");
      if (read.status === "signed-out") {
        // Said once, then closed: a browser that still thinks it is signed in learns that it is not, and why when
        // this read ended the session (without a cookie there is no why to tell).
        const stream = openEventStream(res, limits);
        const known = read.reason !== "no-session" && read.reason !== "invalid-cookie";
        stream.send(SESSION_ENDED_EVENT, known ? { reason: read.reason } : {});
        stream.close();
        return;
      }
      if (open >= limits.perInstance) throw new AppError("STORE_UNAVAILABLE", "Too many live streams on this instance");

      const stream = openEventStream(res, limits);
      open++;
      const siblings = bySession.get(read.sessionId) ?? [];
      bySession.set(read.sessionId, siblings);
      siblings.push(stream);
      if (siblings.length > limits.perSession) siblings.shift()?.close();

      const stop = events.watch(read.watched, (reason) => {
        log.info("LIVE_SESSION_ENDED", { session: shortId(read.sessionId), reason });
        stream.send(SESSION_ENDED_EVENT, { reason });
        stream.close();
      });
      stream.onClose(() => {
        stop();
        open--;
        const list = bySession.get(read.sessionId);
        const at = list?.indexOf(stream) ?? -1;
        if (list && at >= 0) list.splice(at, 1);
        if (list?.length === 0) bySession.delete(read.sessionId);
      });
    },
  };
}

/** The live channel's handler type. */
export type LiveStreams = ReturnType<typeof createLiveStreams>;
