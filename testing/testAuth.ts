import { createAuth, type Auth, type AuthDeps } from "@/lib/auth";
import type { Clock } from "@/lib/clock";
import { parseEnv } from "@/lib/config/env";
import type { KeycloakClientConfig } from "@/lib/keycloak/keycloakClient";
import { encodeSessionToken } from "@/lib/nextauth/mirror/jwt";
import { createMemoryStore } from "@/lib/store/memoryStore";
import type { JWT } from "next-auth/jwt";
import { CLIENT_ID, CLIENT_SECRET, ISSUER, testKeycloak } from "@/mocks/keycloak";

/** The secret every unit test's cookies are encrypted with. */
export const TEST_SECRET = "unit-test-secret-0123456789abcdef0123456789";

/** A clock that moves only when told to. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
}

/** A clock starting at `startMs` (now by default). */
export function fakeClock(startMs = Date.now()): FakeClock {
  let now = startMs;
  return { nowMs: () => now, advance: (ms) => void (now += ms) };
}

/**
 * The app's composition root for a unit test: the env every unit test uses (msw answers for ISSUER), a memory store,
 * Keycloak with short bounds; any part replaced through `overrides`.
 */
export function createTestAuth(
  overrides: Partial<Omit<AuthDeps, "env">> & { env?: Record<string, string>; keycloak?: Partial<KeycloakClientConfig> } = {},
): Auth {
  const { env, keycloak, ...rest } = overrides;
  return createAuth({
    env: parseEnv({
      NEXTAUTH_URL: "http://localhost:3000",
      NEXTAUTH_SECRET: TEST_SECRET,
      KEYCLOAK_ISSUER: ISSUER,
      KEYCLOAK_CLIENT_ID: CLIENT_ID,
      KEYCLOAK_CLIENT_SECRET: CLIENT_SECRET,
      KEYCLOAK_REFRESH_WAIT_MS: "1000",
      ...env,
    }),
    store: rest.store ?? createMemoryStore(),
    keycloak: testKeycloak(keycloak),
    ...rest,
  });
}

/** An unsigned JWT with the given claims: the app reads claims of tokens it got from the token endpoint. */
export const unsignedJwt = (claims: object): string =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;

/**
 * Signs a user in through the app's own jwt callback, as next-auth's callback route does after Keycloak's token
 * answer, and returns the Cookie header a browser would then send. No HTTP is involved.
 */
export async function signInForTest(
  auth: Auth,
  user: { sub?: string; sid?: string; realmRoles?: string[]; accessTokenTtlS?: number } = {},
): Promise<{ cookie: string; token: JWT }> {
  const sub = user.sub ?? "user-1";
  const nowS = Math.floor(Date.now() / 1000);
  const options = auth.nextAuthOptions();
  const token = await options.callbacks!.jwt!({
    token: { sub, name: "Alice", email: "alice@example.com" },
    account: {
      provider: "keycloak",
      type: "oauth",
      providerAccountId: sub,
      id_token: unsignedJwt({ sid: user.sid ?? "kc-sid-1", auth_time: nowS }),
      access_token: unsignedJwt({ realm_access: { roles: user.realmRoles ?? ["user"] }, resource_access: { [CLIENT_ID]: { roles: ["viewer"] } } }),
      refresh_token: "rt-1",
      expires_at: nowS + (user.accessTokenTtlS ?? 300),
      refresh_expires_in: 1800,
    },
  } as never);
  return { cookie: `next-auth.session-token=${encodeSessionToken(token, TEST_SECRET, 3600)}`, token };
}
