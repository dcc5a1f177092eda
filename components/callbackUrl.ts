/**
 * Where to go after sign-in: a path of this app only. next-auth hands the sign-in page an absolute URL of the app's
 * own origin (GET /api/auth/signin?callbackUrl=/profile arrives as http://host/profile), which is reduced to its
 * path; another origin, a protocol-relative `//host` or `/\host`, or any other scheme gives "/". next-auth's
 * redirect callback checks again on the server.
 */
export function safeCallbackUrl(value: unknown, origin: string | undefined): string {
  if (typeof value !== "string" || !value || !origin) return "/";
  const isPath = value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\");
  const isAbsolute = /^https?:\/\//i.test(value);
  if (!isPath && !isAbsolute) return "/";
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return "/";
  }
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : "/";
}
