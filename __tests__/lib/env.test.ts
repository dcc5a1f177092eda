import { EnvError, parseEnv } from "@/lib/env";

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

describe("parseEnv", () => {
  it("accepts the .env.example values and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.KEYCLOAK_ISSUER).toBe("http://localhost:8080/realms/nextjs");
    expect(env.KEYCLOAK_LOGOUT_TIMEOUT_MS).toBe(3000);
    expect(env.KEYCLOAK_FEDERATED_LOGOUT).toBe(true);
    expect(env.REDIS_URL).toBeUndefined();
    expect(Object.isFrozen(env)).toBe(true);
  });

  it.each(["NEXTAUTH_URL", "NEXTAUTH_SECRET", "KEYCLOAK_ISSUER", "KEYCLOAK_CLIENT_ID", "KEYCLOAK_CLIENT_SECRET"])(
    "names %s when it is missing and points at .env.example",
    (name) => {
      const error = errorFor({ ...valid, [name]: undefined });
      expect(error.variable).toBe(name);
      expect(error.message).toBe(`${name} is missing. Set it in .env.local (see .env.example).`);
    },
  );

  it.each([
    ["NEXTAUTH_URL", "localhost:3000", /NEXTAUTH_URL (is not a valid URL|must be an http)/],
    ["NEXTAUTH_SECRET", "short", /NEXTAUTH_SECRET must be at least 32 characters/],
    ["KEYCLOAK_ISSUER", "http://localhost:8080/auth", /KEYCLOAK_ISSUER must end with \/realms\/<realm>/],
    ["KEYCLOAK_ISSUER", "not a url", /KEYCLOAK_ISSUER is not a valid URL/],
    ["KEYCLOAK_LOGOUT_TIMEOUT_MS", "60000", /KEYCLOAK_LOGOUT_TIMEOUT_MS must be a whole number from 100 to 10000/],
    ["KEYCLOAK_FEDERATED_LOGOUT", "maybe", /KEYCLOAK_FEDERATED_LOGOUT must be true or false/],
    ["REDIS_URL", "http://localhost:6379", /REDIS_URL must start with redis:\/\//],
  ])("rejects a malformed %s (%s)", (name, value, message) => {
    const error = errorFor({ ...valid, [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toMatch(message);
  });
});
