import type { ServerResponse } from "node:http";

/** A response that only records its headers, with its Set-Cookie lines at hand (for code that only sets cookies). */
export function recordingResponse(): ServerResponse & { cookies: () => string[] } {
  const headers = new Map<string, unknown>();
  return {
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    cookies: () => (headers.get("set-cookie") as string[] | undefined) ?? [],
  } as unknown as ServerResponse & { cookies: () => string[] };
}
