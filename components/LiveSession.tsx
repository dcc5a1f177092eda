import type { Session } from "next-auth";
import { getSession, useSession } from "next-auth/react";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { SessionEndReason } from "@/types/sessionEnd";

/** Why this page's session ended, or "ended" when a refetch found it gone without a reason (the stream was blocked). */
export type EndedBecause = SessionEndReason | "ended";

const EndedContext = createContext<EndedBecause | null>(null);

/** Why the session this page was showing has ended, or null while it lives. */
export function useSessionEnded(): EndedBecause | null {
  return useContext(EndedContext);
}

/**
 * next-auth's useSession, except that a session this page has learned is over reads as signed out at once: next-auth
 * keeps its last session until its next refetch (focus, interval), so the header would go on showing the user.
 */
export function useLiveSession(): { data: Session | null; status: "authenticated" | "unauthenticated" | "loading" } {
  const { data, status } = useSession();
  const ended = useSessionEnded();
  return ended ? { data: null, status: "unauthenticated" } : { data, status };
}

/** What the page says when its session ended, by reason. */
export function sessionEndedNotice(reason: EndedBecause): string {
  switch (reason) {
    case "signed-out":
      return "You signed out in another tab or window.";
    case "signed-out-everywhere":
      return "You were signed out on another device (Sign out everywhere).";
    case "keycloak-logout":
      return "Your session was ended in Keycloak, by your administrator or from another device.";
    case "refresh-refused":
      return "Keycloak no longer accepts your session.";
    case "expired":
      return "Your session expired.";
    case "store-reset":
      return "Your session ended when the app's session store was reset.";
    default:
      return "Your session has ended.";
  }
}

/** Tabs of one browser share the stream's news on this channel; the one tab holding the stream holds this lock. */
const CHANNEL = "kc-live-session";
/** A page that starts with a session says so here (its `expires`), for tabs still showing an earlier session's end. */
const SIGNED_IN_CHANNEL = "kc-live-session-signed-in";
const LOCK = "kc-live-session-stream";
/** Reconnection after the server refused the stream (the browser retries a dropped one by itself), ms. */
const REFUSED_RETRY_MS = [2_000, 10_000, 30_000, 60_000];

/**
 * Every open tab learns at once that its session has ended: one tab per browser (elected with Web Locks) holds the
 * live channel (GET /api/auth/events, server-sent events) and shares what it hears with the other tabs
 * (BroadcastChannel), so seven tabs use one connection. Each tab then refetches its session (next-auth's
 * useSession becomes unauthenticated) and tells its page why (useSessionEnded). Where the stream is blocked,
 * next-auth's refetch on focus and on an interval (pages/_app.tsx) still ends the session, without a reason.
 */
export function LiveSessionProvider({ children }: { children: ReactNode }) {
  const { data, status } = useSession();
  // Why a session ended, and which one: its `expires` (the absolute end) differs for every sign-in.
  const [ended, setEnded] = useState<{ because: EndedBecause; expires: string | undefined } | null>(null);
  const wasSignedIn = useRef(false);
  /** The `expires` of the last session this page showed. */
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (data) shown.current = data.expires;
  }, [data]);
  /** The first reason heard is the one that ended the shown session; later news only confirms it. */
  const end = (because: EndedBecause) =>
    setEnded((previous) => (previous && previous.expires === shown.current ? previous : { because, expires: shown.current }));
  const endRef = useRef(end);
  useEffect(() => {
    endRef.current = end;
  });

  useEffect(() => {
    if (status === "authenticated") wasSignedIn.current = true;
    // A refetch (focus, interval, another tab's sign-out) found the session gone before any stream said why.
    else if (status === "unauthenticated" && wasSignedIn.current) endRef.current("ended");
  }, [status]);

  // Signed in again (here, or in another tab and refetched here): a notice about the session before is over.
  const current = ended && (!data || data.expires === ended.expires) ? ended : null;
  const over = current !== null;

  // A tab showing an earlier session's end reloads once the browser has a new session (signed in again in this tab's
  // refetch, or on another tab's page): what the server rendered was for the session before, maybe another user.
  const endedExpires = useRef<string | undefined>(undefined);
  useEffect(() => {
    endedExpires.current = ended ? (ended.expires ?? "") : undefined;
    if (ended && data && data.expires !== ended.expires) window.location.reload();
  }, [ended, data]);
  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(SIGNED_IN_CHANNEL);
    channel.onmessage = (event: MessageEvent<{ expires?: string }>) => {
      if (endedExpires.current !== undefined && event.data.expires && event.data.expires !== endedExpires.current) window.location.reload();
    };
    return () => channel.close();
  }, []);
  const signedInExpires = status === "authenticated" ? data?.expires : undefined;
  useEffect(() => {
    if (!signedInExpires || typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(SIGNED_IN_CHANNEL);
    channel.postMessage({ expires: signedInExpires });
    channel.close();
  }, [signedInExpires]);
  useEffect(() => {
    // Once over, nothing is watched until a new session is confirmed: the server would only say "ended" again.
    if (status !== "authenticated" || over) return;
    const stop = new AbortController();
    const channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(CHANNEL);
    /** `fromServer`: this tab holds the stream; the others heard it from that tab. */
    const learn = (reason: SessionEndReason | undefined, fromServer: boolean) => {
      endRef.current(reason ?? "ended");
      // Once per browser, by the tab that heard the server: the read clears the cookie, and next-auth tells the other
      // tabs to refetch (useLiveSession reads as signed out in every tab meanwhile, this one included).
      if (fromServer) void getSession().catch(() => undefined);
    };
    if (channel) channel.onmessage = (event: MessageEvent<{ reason?: SessionEndReason }>) => learn(event.data.reason, false);

    const holdStream = () =>
      new Promise<void>((release) => {
        let attempt = 0;
        let source: EventSource | undefined;
        let retry: ReturnType<typeof setTimeout> | undefined;
        const finish = () => {
          source?.close();
          clearTimeout(retry);
          release();
        };
        const connect = () => {
          source = new EventSource("/api/auth/events");
          source.addEventListener("open", () => void (attempt = 0));
          source.addEventListener("session-ended", (event) => {
            const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason?: SessionEndReason };
            channel?.postMessage({ reason });
            learn(reason, true);
            finish();
          });
          source.addEventListener("error", () => {
            // CLOSED: the server refused (e.g. 503); the browser will not retry by itself.
            if (source?.readyState !== EventSource.CLOSED) return;
            retry = setTimeout(connect, REFUSED_RETRY_MS[Math.min(attempt++, REFUSED_RETRY_MS.length - 1)]);
          });
        };
        connect();
        stop.signal.addEventListener("abort", finish);
      });

    if (navigator.locks) navigator.locks.request(LOCK, { signal: stop.signal }, holdStream).catch(() => undefined);
    else void holdStream();
    return () => {
      stop.abort();
      channel?.close();
    };
  }, [status, over]);

  return <EndedContext.Provider value={current?.because ?? null}>{children}</EndedContext.Provider>;
}
