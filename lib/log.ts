/**
 * The app's one log helper: `[auth] LEVEL CODE key=value ...`. Callers pass facts, never tokens,
 * cookies or URLs that carry id_token_hint.
 */

type Level = "info" | "warn" | "error";
type Facts = Record<string, string | number | boolean | undefined>;

function format(value: string | number | boolean): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

// Codes can come from outside (next-auth relays browser log calls): anything unexpected is replaced, so a
// crafted code cannot forge a second log line.
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function write(level: Level, code: string, facts: Facts = {}): void {
  const parts = [`[auth] ${level.toUpperCase()} ${CODE.test(code) ? code : "UNEXPECTED_CODE"}`];
  for (const [key, value] of Object.entries(facts)) {
    if (value !== undefined) parts.push(`${key}=${format(value)}`);
  }
  const line = parts.join(" ");
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}

/** Structured one-line logger. */
export const log = {
  info: (code: string, facts?: Facts) => write("info", code, facts),
  warn: (code: string, facts?: Facts) => write("warn", code, facts),
  error: (code: string, facts?: Facts) => write("error", code, facts),
};
