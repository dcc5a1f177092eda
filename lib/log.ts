import { isAppError } from "./errors";

/**
 * The app's one log helper: `[auth] LEVEL CODE key=value ...`, one line per event. Callers pass facts, never tokens,
 * cookies or URLs that carry id_token_hint.
 */

type Level = "info" | "warn" | "error";
type Facts = Record<string, string | number | boolean | undefined>;

function format(value: string | number | boolean): string {
  const text = String(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

// Codes are the app's own; anything unexpected is replaced, so a crafted code cannot forge a line.
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
// Whatever reaches a log line, a JWT-shaped value never does (a cause's message could quote one).
const JWT_SHAPE = /eyJ[\w-]+\.[\w-]+(\.[\w-]*)?/g;

function write(level: Level, code: string, facts: Facts = {}): void {
  const parts = [`[auth] ${level.toUpperCase()} ${CODE.test(code) ? code : "UNEXPECTED_CODE"}`];
  for (const [key, value] of Object.entries(facts)) {
    if (value !== undefined) parts.push(`${key}=${format(typeof value === "string" ? value.replace(JWT_SHAPE, "[jwt]") : value)}`);
  }
  const line = parts.join(" ");
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}

/** First 8 characters of an id: enough to follow one session through the logs, too little to use it. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Structured one-line logger. */
export const log = {
  info: (code: string, facts?: Facts) => write("info", code, facts),
  warn: (code: string, facts?: Facts) => write("warn", code, facts),
  error: (code: string, facts?: Facts) => write("error", code, facts),
};

/** The facts of an unexpected error for a log line: name, message, the top of its stack, and its cause's name. */
export function describeUnknown(error: unknown): Facts {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return { name: error.name, message: error.message, stack: error.stack?.split("\n").slice(1, 6).join(" | ").trim(), cause };
}

/** The facts of any thrown value for a log line: an AppError's code and message, else describeUnknown's. */
export function describeError(error: unknown): Facts {
  return isAppError(error) ? { code: error.code, reason: error.message } : describeUnknown(error);
}
