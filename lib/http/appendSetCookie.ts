import type { ServerResponse } from "node:http";

/** Adds Set-Cookie lines to a response, keeping any already set (as next-auth's own setCookie does). */
export function appendSetCookie(res: ServerResponse, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const existing = res.getHeader("Set-Cookie");
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader("Set-Cookie", [...list, ...lines]);
}
