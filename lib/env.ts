/**
 * The one reader of process.env on the server: every variable is read here once, checked, and frozen.
 * Browser code must not import this module.
 */

/** Validated server configuration. */
export interface Env {
  /** Public base URL of this app, e.g. http://localhost:3000. */
  readonly NEXTAUTH_URL: URL;
  /** Secret that encrypts next-auth's session cookie. */
  readonly NEXTAUTH_SECRET: string;
  /** Keycloak realm issuer, e.g. http://localhost:8080/realms/nextjs (no trailing slash). */
  readonly KEYCLOAK_ISSUER: string;
  readonly KEYCLOAK_CLIENT_ID: string;
  readonly KEYCLOAK_CLIENT_SECRET: string;
  /** Upper bound for the Keycloak logout handshake at sign-out, in milliseconds. */
  readonly KEYCLOAK_LOGOUT_TIMEOUT_MS: number;
  /** How long a request waits for a token refresh before answering without it, in milliseconds. */
  readonly KEYCLOAK_REFRESH_WAIT_MS: number;
  /** When false, sign-out only clears the app cookie (used to measure the handshake's cost). */
  readonly KEYCLOAK_FEDERATED_LOGOUT: boolean;
  /** Shared store for several instances; undefined means the in-memory store (one instance). */
  readonly REDIS_URL: string | undefined;
}

/** A missing or malformed variable; `variable` names it. */
export class EnvError extends Error {
  readonly code = "ENV_INVALID";
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}. Set it in .env.local (see .env.example).`);
    this.name = "EnvError";
  }
}

type Source = Record<string, string | undefined>;

function required(source: Source, name: string): string {
  const value = source[name]?.trim();
  if (!value) throw new EnvError(name, "is missing");
  return value;
}

function httpUrl(source: Source, name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvError(name, `is not a valid URL ("${value}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EnvError(name, `must be an http(s) URL ("${value}")`);
  }
  return url;
}

function integer(source: Source, name: string, fallback: number, min: number, max: number): number {
  const raw = source[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EnvError(name, `must be a whole number from ${min} to ${max} ("${raw}")`);
  }
  return value;
}

function boolean(source: Source, name: string, fallback: boolean): boolean {
  const raw = source[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new EnvError(name, `must be true or false ("${raw}")`);
}

/** Parses and checks a set of variables; throws EnvError naming the first bad one. */
export function parseEnv(source: Source): Env {
  const nextAuthUrl = httpUrl(source, "NEXTAUTH_URL", required(source, "NEXTAUTH_URL"));

  const secret = required(source, "NEXTAUTH_SECRET");
  if (secret.length < 32) {
    throw new EnvError("NEXTAUTH_SECRET", "must be at least 32 characters (try: openssl rand -base64 32)");
  }

  const issuerRaw = required(source, "KEYCLOAK_ISSUER").replace(/\/+$/, "");
  const issuer = httpUrl(source, "KEYCLOAK_ISSUER", issuerRaw);
  if (!/\/realms\/[^/]+$/.test(issuer.pathname)) {
    throw new EnvError("KEYCLOAK_ISSUER", `must end with /realms/<realm> ("${issuerRaw}")`);
  }

  const redisRaw = source.REDIS_URL?.trim() || undefined;
  if (redisRaw) {
    let redisUrl: URL;
    try {
      redisUrl = new URL(redisRaw);
    } catch {
      throw new EnvError("REDIS_URL", "is not a valid URL (expected redis://host:port)");
    }
    if (redisUrl.protocol !== "redis:" && redisUrl.protocol !== "rediss:") {
      throw new EnvError("REDIS_URL", "must start with redis:// or rediss://");
    }
  }

  return Object.freeze({
    NEXTAUTH_URL: nextAuthUrl,
    NEXTAUTH_SECRET: secret,
    KEYCLOAK_ISSUER: issuerRaw,
    KEYCLOAK_CLIENT_ID: required(source, "KEYCLOAK_CLIENT_ID"),
    KEYCLOAK_CLIENT_SECRET: required(source, "KEYCLOAK_CLIENT_SECRET"),
    KEYCLOAK_LOGOUT_TIMEOUT_MS: integer(source, "KEYCLOAK_LOGOUT_TIMEOUT_MS", 3000, 100, 10000),
    KEYCLOAK_REFRESH_WAIT_MS: integer(source, "KEYCLOAK_REFRESH_WAIT_MS", 3000, 100, 30000),
    KEYCLOAK_FEDERATED_LOGOUT: boolean(source, "KEYCLOAK_FEDERATED_LOGOUT", true),
    REDIS_URL: redisRaw,
  });
}

let cached: Env | undefined;

/** The process's validated configuration, parsed on first use (start-up, via instrumentation.ts). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
