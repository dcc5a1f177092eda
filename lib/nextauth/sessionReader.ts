import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallbacksOptions, NextAuthOptions, Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { getEnv } from "../config/env";
import { appendSetCookie } from "../http/appendSetCookie";
import { SESSION_MAX_AGE_S } from "../session/sessionPolicy";
import { getAuthOptions } from "./authOptions";
import { checkTimes, decodeSessionToken, encodeSessionToken } from "./cookieCodec";

/**
 * The read path of the session: GET /api/auth/session, page guards and every server-side session read.
 *
 * It does what next-auth's own session route does for a GET (core/routes/session.js): decode the cookie, run the
 * app's `jwt` callback (revocation, token state and roles in one store round trip, a refresh when due), then the
 * `session` callback, so the JSON is the same by construction. What it leaves out is what a read does not need:
 * next-auth's `init` (CSRF and callback-URL cookies, provider setup) and re-encrypting an unchanged cookie. The
 * cookie is written only when its contents change (a refresh, or a newer refresh token from another instance),
 * with the session's absolute end as its expiry, and cleared as next-auth clears it when the session is over.
 * Everything else (sign-in, sign-out, callbacks, `useSession`, `getSession`) stays next-auth's.
 */

/** A request as Next.js hands it to API routes and getServerSideProps. */
type SessionRequest = Pick<IncomingMessage, "headers">;

/** One Set-Cookie entry, as next-auth's SessionStore produces it. */
interface CookieWrite {
  name: string;
  value: string;
  expires?: Date;
  maxAge?: number;
}

// next-auth's SessionStore (core/lib/cookie.js): a value above 4096 - 163 characters is split into `name.0`, `name.1`...
const CHUNK_SIZE = 4096 - 163;
/** The cookie fields the jwt callback can change (lib/session/lifecycle.ts, continueSession). */
const CHANGING_FIELDS = ["refresh_token", "expires_at", "refresh_expires_at"] as const;
/** Decoded cookies kept in this process, keyed by the cookie's value: a read skips the decryption it already did. */
const DECODED_CACHE_ENTRIES = 1000;

type JwtParams = Parameters<CallbacksOptions["jwt"]>[0];
type SessionParams = Parameters<CallbacksOptions["session"]>[0];

/** The session cookie's name and attributes, as next-auth's defaultCookies() derives them from NEXTAUTH_URL. */
function cookieSettings() {
  const secure = getEnv().NEXTAUTH_URL.protocol === "https:";
  return { name: `${secure ? "__Secure-" : ""}next-auth.session-token`, secure };
}

/**
 * The session cookie's chunks in request order, and its value joined as SessionStore.value joins it. Read from the
 * raw header as the `cookie` package parses it (first occurrence wins, quotes stripped, %-decoded), without parsing
 * every other cookie of the request.
 */
function sessionChunks(req: SessionRequest, name: string): { names: string[]; value: string } {
  const header = req.headers.cookie;
  const values = new Map<string, string>();
  if (header?.includes(name)) {
    for (const pair of header.split(";")) {
      const at = pair.indexOf("=");
      if (at < 0) continue;
      const cookieName = pair.slice(0, at).trim();
      if (!cookieName.startsWith(name) || values.has(cookieName)) continue;
      let value = pair.slice(at + 1).trim();
      if (value.charCodeAt(0) === 0x22) value = value.slice(1, -1);
      values.set(cookieName, value.includes("%") ? tryDecode(value) : value);
    }
  }
  const names = [...values.keys()];
  const suffix = (cookieName: string) => parseInt(cookieName.split(".").pop() ?? "0");
  const value = [...names]
    .sort((a, b) => suffix(a) - suffix(b))
    .map((cookieName) => values.get(cookieName))
    .join("");
  return { names, value };
}

function tryDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const decodedCookies = new Map<string, JWT>();

/**
 * decodeSessionToken, remembered per cookie value: the payload is fixed by the value (and the process's one secret),
 * and the time checks (exp, nbf) run again on every read. Only cookies that decoded are kept, oldest out first.
 */
function decodeCookie(value: string, secret: string): JWT {
  const known = decodedCookies.get(value);
  if (known) {
    checkTimes(known);
    return { ...known };
  }
  const decoded = decodeSessionToken(value, secret);
  if (decodedCookies.size >= DECODED_CACHE_ENTRIES) decodedCookies.delete(decodedCookies.keys().next().value as string);
  decodedCookies.set(value, Object.freeze({ ...decoded }));
  return decoded;
}

/** SessionStore.clean(): every chunk the request sent, expired. */
function cleared(names: readonly string[]): CookieWrite[] {
  return names.map((name) => ({ name, value: "", maxAge: 0 }));
}

/** SessionStore.chunk(): the request's chunks expired, then the new value in as many chunks as it needs. */
function chunked(names: readonly string[], name: string, value: string, expires: Date): CookieWrite[] {
  const writes = new Map(cleared(names).map((write) => [write.name, write]));
  const count = Math.ceil(value.length / CHUNK_SIZE);
  if (count === 1) {
    writes.set(name, { name, value, expires });
  } else {
    for (let i = 0; i < count; i += 1) {
      writes.set(`${name}.${i}`, { name: `${name}.${i}`, value: value.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), expires });
    }
  }
  return [...writes.values()];
}

/** The Set-Cookie line next-auth writes (the `cookie` package's serialize, with next-auth's session-cookie options). */
function serialize(write: CookieWrite, secure: boolean): string {
  let line = `${write.name}=${encodeURIComponent(write.value)}`;
  if (write.maxAge !== undefined) line += `; Max-Age=${write.maxAge}`;
  line += "; Path=/";
  if (write.expires) line += `; Expires=${write.expires.toUTCString()}`;
  line += "; HttpOnly";
  if (secure) line += "; Secure";
  return `${line}; SameSite=Lax`;
}

/** Sends `writes` as Set-Cookie lines, after any already set. */
function setCookies(res: ServerResponse, writes: readonly CookieWrite[], secure: boolean): void {
  appendSetCookie(res, writes.map((write) => serialize(write, secure)));
}

/** True when the cookie would carry something new: a refreshed token, new expiries, another instance's newer token. */
function cookieContentChanged(before: JWT, after: JWT): boolean {
  return CHANGING_FIELDS.some((field) => before[field] !== after[field]);
}

/** The absolute end of a session, in epoch seconds: sign-in plus session.maxAge (the lifecycle enforces it too). */
function sessionEndS(token: JWT, nowS: number): number {
  return typeof token.signedInAt === "number" ? token.signedInAt + SESSION_MAX_AGE_S : nowS + SESSION_MAX_AGE_S;
}

/** A read's outcome: the body next-auth's session route would answer (null for `{}`) and the confirmed token. */
interface ReadOutcome {
  session: Session | null;
  token: JWT | null;
}

async function read(req: SessionRequest, res: ServerResponse, options: NextAuthOptions): Promise<ReadOutcome> {
  const { name, secure } = cookieSettings();
  const chunks = sessionChunks(req, name);
  if (!chunks.value) return { session: null, token: null };
  const secret = getEnv().NEXTAUTH_SECRET;
  const callbacks = options.callbacks as CallbacksOptions;
  try {
    const decoded = decodeCookie(chunks.value, secret);
    // Called as next-auth's session route calls them: the token only, no account (not a sign-in).
    const token = await callbacks.jwt({ token: decoded } as JwtParams);
    const nowMs = Date.now();
    // The app's session callback answers Session (types/next-auth.d.ts); the library's type also allows DefaultSession.
    const session = (await callbacks.session({
      session: {
        user: { name: decoded.name, email: decoded.email, image: decoded.picture },
        expires: new Date(nowMs + SESSION_MAX_AGE_S * 1000).toISOString(),
      },
      token,
    } as SessionParams)) as Session;
    if (cookieContentChanged(decoded, token)) {
      const nowS = Math.floor(nowMs / 1000);
      const endS = sessionEndS(token, nowS);
      const value = encodeSessionToken(token, secret, endS - nowS);
      setCookies(res, chunked(chunks.names, name, value, new Date(endS * 1000)), secure);
    }
    return { session, token };
  } catch (error) {
    // As next-auth: a cookie that does not decode, or a session the jwt callback ended, is cleared.
    options.logger?.error?.("JWT_SESSION_ERROR", error as Error);
    setCookies(res, cleared(chunks.names), secure);
    return { session: null, token: null };
  }
}

/**
 * The session for server-side code (page guards, getServerSideProps, API routes), as getServerSession returns it:
 * null when signed out, `{ expires, error }` when it cannot be confirmed now, else the user with their roles.
 * Sets a cookie on `res` only when the cookie's contents change.
 */
export async function readSession(req: SessionRequest, res: ServerResponse): Promise<Session | null> {
  return (await read(req, res, getAuthOptions())).session;
}

/** A confirmed signed-in session, its app session id and Keycloak user id (for server-side token use), or null. */
export async function readConfirmedSession(
  req: SessionRequest,
  res: ServerResponse,
): Promise<{ session: Session; sessionId: string; sub: string } | null> {
  const { session, token } = await read(req, res, getAuthOptions());
  if (!session?.user || !token?.sessionId || !token.sub || token.error) return null;
  return { session, sessionId: token.sessionId, sub: token.sub };
}

/** GET /api/auth/session, answered as next-auth's route answers it (same JSON, same cache headers). */
export async function sendSession(req: SessionRequest, res: ServerResponse & { send(body: unknown): void }): Promise<void> {
  const session = await readSession(req, res);
  res.statusCode = 200;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "private, no-cache, no-store");
  res.setHeader("Pragma", "no-cache");
  res.setHeader("Expires", "0");
  res.send(session ?? {});
}
