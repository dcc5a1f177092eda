import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallbacksOptions, NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import type { Clock } from "../../clock";
import { deepFreeze } from "../../deepFreeze";
import type { EndReason } from "../../session/revocation";
import type { WatchedSession } from "../../session/sessionEvents";
import { isSessionEnded } from "../../session/sessionEnded";
import { absoluteEndMs } from "../../session/sessionPolicy";
import { chunkValue, cleanChunks, readSessionChunks, sessionCookieOption, setSessionCookies } from "./cookie";
import { checkTimes, decodeSessionToken, encodeSessionToken } from "./jwt";

// Mirrors next-auth 4.24 `core/routes/session.js` for a GET with the jwt strategy: decode the cookie, run the app's
// `jwt` callback (revocation, token state and roles in one store round trip, a refresh when due), then the
// `session` callback and `events.session`, so the JSON is the same by construction. What it leaves out is what a
// read does not need: next-auth's `init` (CSRF and callback-URL cookies, provider setup) and re-encrypting an
// unchanged cookie. The cookie is written only when its contents change, with the session's absolute end as its
// expiry, and cleared as next-auth clears it when the session is over. A cookie read before is not decrypted again,
// and while the jwt callback answers it with the same frozen token (nothing about the session changed), the session
// callback's answer and its JSON are the ones built last time (bench/read-path.md, second pass).

/** A user as pages and API routes receive it. */
export type SessionUser = NonNullable<Session["user"]>;

/** What a session read found: signed in (with what server code needs), signed out (and why), or unavailable. */
export type SessionRead =
  | {
      status: "signed-in";
      session: Session;
      user: SessionUser;
      sessionId: string;
      sub: string;
      accessToken: string;
      /** What a live stream watches (lib/session/sessionEvents.ts). */
      watched: WatchedSession;
    }
  | { status: "signed-out"; reason: EndReason | "no-session" | "invalid-cookie" }
  /** Cannot be confirmed now: the store or Keycloak (a due refresh) did not answer. The cookie is kept. */
  | { status: "unavailable"; code: "STORE_UNAVAILABLE" | "KEYCLOAK_UNAVAILABLE"; session: Session };

/** The read path: one per composition root. */
export interface SessionReader {
  read(req: Pick<IncomingMessage, "headers">, res: ServerResponse): Promise<SessionRead>;
  /**
   * GET /api/auth/session, answered as next-auth's route answers it: same JSON, same cache headers, and through Next's
   * `res.send` when `res` is an API route's response, as next-auth's handler sends it (Content-Length and ETag, where a
   * bare `end` would answer chunked).
   */
  send(req: Pick<IncomingMessage, "headers">, res: ServerResponse & { send?: (body: unknown) => void }): Promise<void>;
}

/** The cookie fields the jwt callback can change (lib/session/lifecycle.ts): the cookie is rewritten only then. */
const CHANGING_FIELDS = ["refresh_token", "expires_at", "refresh_expires_at"] as const;
/**
 * The cache's key: the JWE's last part, its 16-byte GCM tag (22 base64url characters), so a lookup hashes 22
 * characters rather than the whole 2.8 KB cookie. A hit still needs the whole value to be equal.
 */
const TAG_CHARS = 22;

type JwtParams = Parameters<CallbacksOptions["jwt"]>[0];
type SessionParams = Parameters<CallbacksOptions["session"]>[0];

/**
 * Builds the read path over next-auth options (with the app's callbacks, events, logger and cookie settings).
 * Options it does not mirror (a database session strategy, custom jwt encode/decode) are refused here, at start.
 */
export function createSessionReader(config: {
  options: NextAuthOptions;
  secret: string;
  publicUrl: URL;
  sessionMaxAgeS: number;
  clock: Clock;
  /** Decoded cookies kept, least recently used out first; 0 decrypts every read. */
  cacheEntries: number;
}): SessionReader {
  const { options, secret, sessionMaxAgeS, clock, cacheEntries } = config;
  if (options.session?.strategy !== "jwt") throw new Error("The session read path mirrors the jwt strategy only");
  const cookie = sessionCookieOption(options, config.publicUrl);
  const callbacks = options.callbacks as CallbacksOptions;
  const decoded = new Map<string, { value: string; token: Readonly<JWT> }>();
  /**
   * The session callback's answer, and its JSON, per jwt-callback answer: the lifecycle hands back the same frozen
   * token while nothing about the session changed, and the app's session callback depends on the token alone (its
   * `expires` is the session's absolute end, not next-auth's rolling one), so the answer would be the same.
   */
  const sessions = new WeakMap<JWT, Session>();
  const bodies = new WeakMap<Session, string>();

  /**
   * decodeSessionToken, remembered per cookie value; the time checks (exp, nbf) run again on every read. The token is
   * shared by the reads of that cookie (the read path and the app's callbacks only ever copy it), and frozen from its
   * second read on: a frozen token is what the lifecycle and the session answers below remember, so a cookie that
   * never comes back costs nothing to remember. A cookie seen before is answered without waiting for anything.
   */
  const remembered = (key: string, value: string): Readonly<JWT> | undefined => {
    const known = decoded.get(key);
    if (!known || known.value !== value) return undefined;
    checkTimes(known.token);
    decoded.delete(key);
    decoded.set(key, known);
    return Object.isFrozen(known.token) ? known.token : Object.freeze(known.token);
  };
  const decode = async (key: string, value: string): Promise<Readonly<JWT>> => {
    const token = await decodeSessionToken(value, secret);
    if (cacheEntries === 0) return token;
    if (!decoded.has(key) && decoded.size >= cacheEntries) decoded.delete(decoded.keys().next().value as string);
    decoded.set(key, { value, token });
    return token;
  };

  /** The session's end; a token without a sign-in time (not one this app wrote) gets a full session from now. */
  const sessionEndMs = (token: JWT, nowMs: number) =>
    absoluteEndMs(typeof token.signedInAtMs === "number" ? token.signedInAtMs : nowMs, sessionMaxAgeS);

  async function read(req: Pick<IncomingMessage, "headers">, res: ServerResponse): Promise<SessionRead> {
    const chunks = readSessionChunks(req, cookie.name);
    if (!chunks.value) return { status: "signed-out", reason: "no-session" };
    try {
      const key = chunks.value.slice(-TAG_CHARS);
      const before = remembered(key, chunks.value) ?? (await decode(key, chunks.value));
      // Called as next-auth's session route calls them: the token only, no account (not a sign-in).
      const token = await callbacks.jwt({ token: before } as JwtParams);
      const nowMs = clock.nowMs();
      let session = sessions.get(token);
      if (!session) {
        // The app's session callback answers Session (types/next-auth.d.ts); the library's type also allows DefaultSession.
        session = (await callbacks.session({
          session: {
            user: { name: before.name, email: before.email, image: before.picture },
            expires: new Date(nowMs + sessionMaxAgeS * 1000).toISOString(),
          },
          token,
        } as SessionParams)) as Session;
        if (Object.isFrozen(token) && typeof token.signedInAtMs === "number") sessions.set(token, deepFreeze(session));
      }
      if (CHANGING_FIELDS.some((field) => before[field] !== token[field])) {
        // The codec caps `exp` at the same end: it takes the session's maximum age, as next-auth's encode does.
        const endS = Math.floor(sessionEndMs(token, nowMs) / 1000);
        const value = encodeSessionToken(token, secret, sessionMaxAgeS);
        setSessionCookies(res, chunkValue(chunks.names, cookie.name, value, new Date(endS * 1000)), cookie);
      }
      if (options.events?.session) await options.events.session({ session, token });

      if (token.error) {
        const code = token.error === "SessionUnavailable" ? "STORE_UNAVAILABLE" : "KEYCLOAK_UNAVAILABLE";
        return { status: "unavailable", code, session };
      }
      if (!session.user || !token.sessionId || !token.sub || !token.accessToken) {
        return { status: "unavailable", code: "STORE_UNAVAILABLE", session };
      }
      const watched: WatchedSession = {
        sessionId: token.sessionId,
        sid: token.sid,
        sub: token.sub,
        signedInAtMs: token.signedInAtMs,
        generation: token.generation,
        absoluteEndMs: sessionEndMs(token, nowMs),
        idleEndMs: token.refresh_expires_at ? token.refresh_expires_at * 1000 : undefined,
      };
      return { status: "signed-in", session, user: session.user, sessionId: token.sessionId, sub: token.sub, accessToken: token.accessToken, watched };
    } catch (error) {
      // As next-auth: a cookie that does not decode, or a session the jwt callback ended, is cleared.
      options.logger?.error?.("JWT_SESSION_ERROR", error as Error);
      setSessionCookies(res, cleanChunks(chunks.names), cookie);
      return { status: "signed-out", reason: isSessionEnded(error) ? error.reason : "invalid-cookie" };
    }
  }

  return {
    read,
    async send(req, res) {
      const outcome = await read(req, res);
      let json = "{}";
      if (outcome.status !== "signed-out") {
        const known = bodies.get(outcome.session);
        json = known ?? JSON.stringify(outcome.session);
        if (!known && Object.isFrozen(outcome.session)) bodies.set(outcome.session, json);
      }
      res.statusCode = 200;
      // What Next's res.send sets for an object body (next-auth's handler sends one).
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.setHeader("Cache-Control", "private, no-cache, no-store");
      res.setHeader("Pragma", "no-cache");
      res.setHeader("Expires", "0");
      if (typeof res.send === "function") {
        res.send(json);
        return;
      }
      res.setHeader("Content-Length", Buffer.byteLength(json));
      res.end(json);
    },
  };
}
