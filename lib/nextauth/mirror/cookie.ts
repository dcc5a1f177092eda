import type { IncomingMessage, ServerResponse } from "node:http";
import type { CookieOption, NextAuthOptions } from "next-auth";
import { appendSetCookie } from "../../http/appendSetCookie";

// Mirrors next-auth 4.24 `core/lib/cookie.js`: defaultCookies() for the session cookie, and SessionStore's reading
// of chunks (constructor, value), chunk() and clean(); the Set-Cookie lines are the `cookie` package's serialize.

// SessionStore: a value above 4096 - 163 characters is split into `name.0`, `name.1`...
const CHUNK_SIZE = 4096 - 163;

/** One Set-Cookie entry, as SessionStore produces it. */
export interface CookieWrite {
  name: string;
  value: string;
  expires?: Date;
  maxAge?: number;
}

/** next-auth's useSecureCookies: as the options say, else whether NEXTAUTH_URL is https. */
export function usesSecureCookies(options: Pick<NextAuthOptions, "useSecureCookies">, publicUrl: URL): boolean {
  return options.useSecureCookies ?? publicUrl.protocol === "https:";
}

/**
 * The session cookie's name and attributes as next-auth derives them: `options.cookies.sessionToken` if set, else
 * defaultCookies(useSecureCookies), where useSecureCookies defaults to an https NEXTAUTH_URL.
 */
export function sessionCookieOption(options: Pick<NextAuthOptions, "cookies" | "useSecureCookies">, publicUrl: URL): CookieOption {
  if (options.cookies?.sessionToken) return options.cookies.sessionToken;
  const secure = usesSecureCookies(options, publicUrl);
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure },
  };
}

/**
 * The session cookie's chunks in request order, and its value joined as SessionStore.value joins it. Read from the
 * raw header as the `cookie` package parses it (first occurrence wins, quotes stripped, %-decoded), without parsing
 * every other cookie of the request.
 */
export function readSessionChunks(req: Pick<IncomingMessage, "headers">, name: string): { names: string[]; value: string } {
  const header = req.headers.cookie;
  const at = header ? header.indexOf(name) : -1;
  if (at < 0) return { names: [], value: "" };
  // The usual request: the name once, as a whole cookie name (one chunk). The same answer as the general path below.
  if (header!.indexOf(name, at + 1) < 0 && header!.charCodeAt(at + name.length) === 0x3d /* = */ && isNameStart(header!, at)) {
    const end = header!.indexOf(";", at);
    let value = header!.slice(at + name.length + 1, end < 0 ? undefined : end).trim();
    if (value.charCodeAt(0) === 0x22) value = value.slice(1, -1);
    return { names: [name], value: value.includes("%") ? tryDecode(value) : value };
  }
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

/** True when `at` starts a cookie's name: the header's start, or only spaces back to a `;`. */
function isNameStart(header: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (header.charCodeAt(i) === 0x20 || header.charCodeAt(i) === 0x09)) i -= 1;
  return i < 0 || header.charCodeAt(i) === 0x3b;
}

function tryDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** SessionStore.clean(): every chunk the request sent, expired. */
export function cleanChunks(names: readonly string[]): CookieWrite[] {
  return names.map((name) => ({ name, value: "", maxAge: 0 }));
}

/** SessionStore.chunk(): the request's chunks expired, then the new value in as many chunks as it needs. */
export function chunkValue(names: readonly string[], name: string, value: string, expires: Date): CookieWrite[] {
  const writes = new Map(cleanChunks(names).map((write) => [write.name, write]));
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

/** The Set-Cookie line next-auth writes: the `cookie` package's serialize with the cookie option's attributes. */
function serialize(write: CookieWrite, attributes: CookieOption["options"]): string {
  let line = `${write.name}=${encodeURIComponent(write.value)}`;
  if (write.maxAge !== undefined) line += `; Max-Age=${write.maxAge}`;
  if (attributes.domain) line += `; Domain=${attributes.domain}`;
  line += `; Path=${attributes.path ?? "/"}`;
  if (write.expires) line += `; Expires=${write.expires.toUTCString()}`;
  if (attributes.httpOnly) line += "; HttpOnly";
  if (attributes.secure) line += "; Secure";
  const sameSite = attributes.sameSite === true ? "strict" : attributes.sameSite;
  if (sameSite) line += `; SameSite=${sameSite.charAt(0).toUpperCase()}${sameSite.slice(1).toLowerCase()}`;
  return line;
}

/** Sends `writes` as Set-Cookie lines with the session cookie's attributes, after any already set. */
export function setSessionCookies(res: ServerResponse, writes: readonly CookieWrite[], option: CookieOption): void {
  appendSetCookie(res, writes.map((write) => serialize(write, option.options)));
}
