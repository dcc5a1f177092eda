import type { NextApiRequest } from "next";
import type { NextAuthOptions } from "next-auth";
import { usesSecureCookies } from "./cookie";

// Mirrors next-auth 4.24 `core/lib/assert.js` (isValidHttpUrl and its two callback-URL checks): next-auth answers a
// request whose `callbackUrl` query or callback-url cookie is not an http(s) URL with a 500 before any route runs,
// so a cookie planted by a sibling origin (another port of the host, `path=/api/auth`) would block CSRF and sign-out.

function isValidHttpUrl(url: string, baseUrl: string): boolean {
  try {
    return /^https?:/.test(new URL(url, url.startsWith("/") ? baseUrl : undefined).protocol);
  } catch {
    return false;
  }
}

/**
 * Drops from the request what next-auth would refuse: an unusable `callbackUrl` query and callback-url cookie. The
 * request then goes on as if they had not been sent (the redirect callback picks the app's home).
 */
export function dropUnusableCallbackUrls(req: NextApiRequest, options: Pick<NextAuthOptions, "cookies" | "useSecureCookies">, publicUrl: URL): void {
  const base = publicUrl.origin;
  const param = req.query.callbackUrl;
  if (typeof param === "string" && !isValidHttpUrl(param, base)) delete req.query.callbackUrl;
  const name = options.cookies?.callbackUrl?.name ?? `${usesSecureCookies(options, publicUrl) ? "__Secure-" : ""}next-auth.callback-url`;
  const cookie = req.cookies?.[name];
  if (typeof cookie === "string" && !isValidHttpUrl(cookie, base)) delete req.cookies[name];
}
