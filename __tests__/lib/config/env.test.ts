import { readFileSync } from "node:fs";
import { ENV_VARIABLES, EnvError, parseEnv } from "@/lib/config/env";
import { isAppError } from "@/lib/errors";

const valid = {
  NEXTAUTH_URL: "http://localhost:3000",
  NEXTAUTH_SECRET: "a-secret-that-is-long-enough-0123456789",
  KEYCLOAK_ISSUER: "http://localhost:8080/realms/nextjs/",
  KEYCLOAK_CLIENT_ID: "nextjs-app",
  KEYCLOAK_CLIENT_SECRET: "nextjs-app-secret",
};

function errorFor(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("parseEnv accepted the configuration");
}

const variables = (error: EnvError) => error.problems.map((p) => p.variable);

describe("parseEnv", () => {
  it("accepts the .env.example values and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.KEYCLOAK_ISSUER).toBe("http://localhost:8080/realms/nextjs");
    expect(env.NEXTAUTH_URL.origin).toBe("http://localhost:3000");
    expect(env.KEYCLOAK_LOGOUT_TIMEOUT_MS).toBe(3000);
    expect(env.KEYCLOAK_REFRESH_WAIT_MS).toBe(3000);
    expect(env.KEYCLOAK_FEDERATED_LOGOUT).toBe(true);
    expect(env.SESSION_COOKIE_CACHE_ENTRIES).toBe(1000);
    expect(parseEnv({ ...valid, SESSION_COOKIE_CACHE_ENTRIES: "0" }).SESSION_COOKIE_CACHE_ENTRIES).toBe(0);
    expect(env.REDIS_URL).toBeUndefined();
    expect(Object.isFrozen(env)).toBe(true);
  });

  it.each(["NEXTAUTH_URL", "NEXTAUTH_SECRET", "KEYCLOAK_ISSUER", "KEYCLOAK_CLIENT_ID", "KEYCLOAK_CLIENT_SECRET"])(
    "names %s when it is missing and points at .env.example",
    (name) => {
      const error = errorFor({ ...valid, [name]: undefined });
      expect(variables(error)).toEqual([name]);
      expect(error.message).toMatch(new RegExp(`^${name} is missing \\(.+\\)\\. Set it in \\.env\\.local \\(see \\.env\\.example\\)\\.$`));
      expect(isAppError(error, "ENV_INVALID")).toBe(true);
    },
  );

  it("reports every bad variable at once", () => {
    const error = errorFor({ ...valid, NEXTAUTH_SECRET: "short", KEYCLOAK_CLIENT_ID: "", KEYCLOAK_LOGOUT_TIMEOUT_MS: "x" });
    expect(variables(error).sort()).toEqual(["KEYCLOAK_CLIENT_ID", "KEYCLOAK_LOGOUT_TIMEOUT_MS", "NEXTAUTH_SECRET"]);
    expect(error.message).toMatch(/Set them in \.env\.local/);
  });

  it.each([
    ["NEXTAUTH_URL", "localhost:3000", /NEXTAUTH_URL (is not a valid URL|must be an http)/],
    ["NEXTAUTH_URL", "http://localhost:3000/app", /NEXTAUTH_URL must be the app's origin only/],
    ["NEXTAUTH_URL", "http://user:pw@localhost:3000", /NEXTAUTH_URL must not carry a user name or password/],
    ["NEXTAUTH_URL", "http://localhost:3000/?x=1", /NEXTAUTH_URL must not carry a query or fragment/],
    ["NEXTAUTH_SECRET", "short", /NEXTAUTH_SECRET must be at least 32 characters/],
    ["KEYCLOAK_ISSUER", "http://localhost:8080/auth", /KEYCLOAK_ISSUER must end with \/realms\/<realm>/],
    ["KEYCLOAK_ISSUER", "not a url", /KEYCLOAK_ISSUER is not a valid URL/],
    ["KEYCLOAK_ISSUER", "http://localhost:8080/realms/nextjs?x=1", /KEYCLOAK_ISSUER must not carry a query or fragment/],
    ["KEYCLOAK_ISSUER", "http://localhost:8080/realms/nextjs#top", /KEYCLOAK_ISSUER must not carry a query or fragment/],
    ["KEYCLOAK_LOGOUT_TIMEOUT_MS", "60000", /KEYCLOAK_LOGOUT_TIMEOUT_MS must be a whole number from 100 to 10000/],
    ["SESSION_COOKIE_CACHE_ENTRIES", "-1", /SESSION_COOKIE_CACHE_ENTRIES must be a whole number from 0 to 1000000/],
    ["SESSION_COOKIE_CACHE_ENTRIES", "1000001", /SESSION_COOKIE_CACHE_ENTRIES must be a whole number from 0 to 1000000/],
    ["KEYCLOAK_FEDERATED_LOGOUT", "maybe", /KEYCLOAK_FEDERATED_LOGOUT must be true or false/],
    ["REDIS_URL", "http://localhost:6379", /REDIS_URL must start with redis:\/\//],
    ["REDIS_URL", "redis://", /REDIS_URL names no host/],
  ])("rejects a malformed %s (%s)", (name, value, message) => {
    const error = errorFor({ ...valid, [name]: value });
    expect(variables(error)).toEqual([name]);
    expect(error.message).toMatch(message);
  });

  it("refuses the published example secret in production, and accepts it in development", () => {
    const example = { ...valid, NEXTAUTH_SECRET: "dev-only-change-me-0123456789abcdef0123456789" };
    expect(parseEnv({ ...example, NODE_ENV: "development" }).NEXTAUTH_SECRET).toBe(example.NEXTAUTH_SECRET);
    const error = errorFor({ ...example, NODE_ENV: "production" });
    expect(variables(error)).toEqual(["NEXTAUTH_SECRET"]);
    expect(error.message).toMatch(/published example value/);
  });

  it("refuses the example secret on any server others can reach, whatever NODE_ENV says", () => {
    const example = { ...valid, NEXTAUTH_SECRET: "dev-only-change-me-0123456789abcdef0123456789" };
    for (const NODE_ENV of [undefined, "development", "staging", "test"]) {
      const error = errorFor({ ...example, NODE_ENV, NEXTAUTH_URL: "https://app.example.com" });
      expect(variables(error)).toEqual(["NEXTAUTH_SECRET"]);
    }
    expect(parseEnv({ ...example, NEXTAUTH_URL: "http://127.0.0.1:3000" }).NEXTAUTH_SECRET).toBe(example.NEXTAUTH_SECRET);
  });
});

describe("the README's configuration table", () => {
  // Rows of the table under "## Configuration": | `NAME`[, `NAME`] | default | meaning |
  const section = readFileSync("README.md", "utf8").split("## Configuration")[1]?.split("\n## ")[0] ?? "";
  const rows = [...section.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \| ([^|]+) \|/gm)].flatMap(([, names, fallback]) =>
    [...names.matchAll(/`([A-Z_]+)`/g)].map(([, name]) => ({ name, fallback: fallback.trim() })),
  );

  it("lists every variable the schema reads, and nothing else", () => {
    expect(rows.map((row) => row.name).sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it("states each default as the schema applies it, and 'required' only for required variables", () => {
    const applied = parseEnv(valid) as unknown as Record<string, unknown>;
    for (const { name, fallback } of rows) {
      if (fallback === "required") {
        expect(variables(errorFor({ ...valid, [name]: undefined }))).toEqual([name]);
      } else if (fallback === "in-memory") {
        expect(applied[name]).toBeUndefined();
      } else {
        expect(`${name}=${String(applied[name])}`).toBe(`${name}=${fallback}`);
      }
    }
  });
});
