/**
 * The one reader of process.env on the server: every variable is read here once, checked against one schema, and
 * frozen. Every bad variable is reported at once. Browser code must not import this module.
 */
import { z } from "zod";
import { AppError } from "../errors";

const text = (hint: string) => z.string({ error: `is missing (${hint})` }).trim().min(1, `is missing (${hint})`);

/** The secret published in .env.example: fine for `npm run dev`, refused in production. */
const EXAMPLE_SECRET_MARK = "change-me";
/** Hosts only this machine reaches: the example secret is allowed there, outside production mode. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Parses an http(s) URL, reporting what makes it unusable; `originOnly` also refuses a path. */
function checkHttpUrl(value: string, ctx: z.RefinementCtx, rules: { originOnly?: boolean; realmPath?: boolean }): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: `is not a valid URL ("${value}")` });
    return undefined;
  }
  const problem =
    url.protocol !== "http:" && url.protocol !== "https:"
      ? "must be an http(s) URL"
      : url.username || url.password
        ? "must not carry a user name or password"
        : url.search || url.hash || value.includes("?") || value.includes("#")
          ? "must not carry a query or fragment"
          : rules.originOnly && url.pathname !== "/"
            ? "must be the app's origin only, without a path (e.g. http://localhost:3000)"
            : rules.realmPath && !/\/realms\/[^/]+$/.test(url.pathname)
              ? "must end with /realms/<realm>"
              : undefined;
  if (problem) {
    ctx.addIssue({ code: "custom", message: `${problem} ("${value}")` });
    return undefined;
  }
  return url;
}

const wholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max} ("${raw}")` });
        return z.NEVER;
      }
      return value;
    });

const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return fallback;
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      ctx.addIssue({ code: "custom", message: `must be true or false ("${raw}")` });
      return z.NEVER;
    });

/** The schema of the server's configuration: names, defaults and rules as documented in .env.example. */
const envShape = z.object({
  /** Public base URL of this app, e.g. http://localhost:3000. */
  NEXTAUTH_URL: text("the app's public URL, e.g. http://localhost:3000").transform(
    (value, ctx) => checkHttpUrl(value, ctx, { originOnly: true }) ?? z.NEVER,
  ),
  /** Secret that encrypts next-auth's session cookie. */
  NEXTAUTH_SECRET: text("generate one with: openssl rand -base64 32").refine((value) => value.length >= 32, {
    message: "must be at least 32 characters (try: openssl rand -base64 32)",
  }),
  NODE_ENV: z.string().optional(),
  /** Keycloak realm issuer, e.g. http://localhost:8080/realms/nextjs (a trailing slash is dropped). */
  KEYCLOAK_ISSUER: text("the realm's issuer, e.g. http://localhost:8080/realms/nextjs")
    .transform((value) => value.replace(/\/+$/, ""))
    .superRefine((value, ctx) => void checkHttpUrl(value, ctx, { realmPath: true })),
  /** The app's confidential client in that realm. */
  KEYCLOAK_CLIENT_ID: text("this app's client id in the realm, e.g. nextjs-app"),
  KEYCLOAK_CLIENT_SECRET: text("the client's secret: Keycloak admin console, Clients, Credentials"),
  /** Upper bound for the Keycloak logout handshake at sign-out, in milliseconds. */
  KEYCLOAK_LOGOUT_TIMEOUT_MS: wholeNumber(3000, 100, 10000),
  /** How long a request waits for a token refresh before answering without it, in milliseconds. */
  KEYCLOAK_REFRESH_WAIT_MS: wholeNumber(3000, 100, 30000),
  /** Sensitive pages (e.g. /admin) need a password entered within this many seconds (the ID token's auth_time). */
  KEYCLOAK_REAUTH_MAX_AGE_S: wholeNumber(300, 10, 86400),
  /**
   * Decoded session cookies each instance keeps, least recently used out first (0: none). A read of one of them skips
   * the cookie's decryption; size it to the sessions an instance serves at once (bench/read-path.md).
   */
  SESSION_COOKIE_CACHE_ENTRIES: wholeNumber(1000, 0, 1_000_000),
  /** When false, sign-out only clears the app cookie (used to measure the handshake's cost). */
  KEYCLOAK_FEDERATED_LOGOUT: flag(true),
  /** Serves the benchmark's twin pages (pages/bench/); npm run bench sets it, production never should. */
  BENCH_PAGES: flag(false),
  /** Shared store for several instances; undefined means the in-memory store (one instance). */
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return undefined;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: "is not a valid URL (expected redis://host:port)" });
        return z.NEVER;
      }
      if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
        ctx.addIssue({ code: "custom", message: "must start with redis:// or rediss://" });
        return z.NEVER;
      }
      if (!url.hostname) {
        ctx.addIssue({ code: "custom", message: `names no host ("${raw}"; expected redis://host:port)` });
        return z.NEVER;
      }
      return raw;
    }),
});

const envSchema = envShape
  .superRefine((env, ctx) => {
    // Whatever NODE_ENV says, an app others can reach (any host but loopback) is a production server.
    const reachable = env.NEXTAUTH_URL instanceof URL && !LOOPBACK_HOSTS.has(env.NEXTAUTH_URL.hostname);
    if ((env.NODE_ENV === "production" || reachable) && env.NEXTAUTH_SECRET.includes(EXAMPLE_SECRET_MARK)) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is the published example value, which only a local development server may use (generate one: openssl rand -base64 32)",
      });
    }
  })
  .transform(({ NODE_ENV: _nodeEnv, ...env }) => env);

/** Every variable the app reads (NODE_ENV is Next's own). */
export const ENV_VARIABLES = Object.keys(envShape.shape).filter((name) => name !== "NODE_ENV");

/** Validated server configuration, inferred from the schema. */
export type Env = Readonly<z.output<typeof envSchema>>;

/** One bad variable: its name and what is wrong with it. */
export interface EnvProblem {
  variable: string;
  problem: string;
}

/** Missing or malformed variables; the message names every one and says where to set them. */
export class EnvError extends AppError {
  constructor(readonly problems: readonly EnvProblem[]) {
    super(
      "ENV_INVALID",
      `${problems.map((p) => `${p.variable} ${p.problem}`).join("; ")}. Set ${problems.length > 1 ? "them" : "it"} in .env.local (see .env.example).`,
    );
    this.name = "EnvError";
  }
}

/** Parses and checks a set of variables; throws EnvError naming every bad one. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => ({ variable: String(issue.path[0]), problem: issue.message })));
  }
  return Object.freeze(result.data);
}

let cached: Env | undefined;

/** The process's validated configuration, parsed on first use (start-up, via instrumentation.ts). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
