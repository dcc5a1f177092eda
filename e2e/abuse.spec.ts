import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { SignJWT, UnsecuredJWT, exportSPKI, generateKeyPair, importJWK, type CryptoKey as JoseKey, type JWK, type JWTPayload } from "jose";
import { decode, encode } from "next-auth/jwt";
import { CookieJar } from "../testing/cookieJar.mjs";
import { csrfToken, getSession, postSignOut, signIn as signInOverHttp } from "../testing/nextAuthClient.mjs";
import { USERS } from "../testing/users.mjs";
import { idp, inPool, signIn, submitLoginForm } from "./helpers";
import { STACK } from "./stack";

const BACKCHANNEL = "/api/auth/backchannel-logout";
const EVENT = "http://schemas.openid.net/event/backchannel-logout";
const EVIL = "https://evil.example/";

test.afterEach(async () => {
  await idp.clearFaults();
});

/** The IdP's newest live session of a user: the sid and sub a forged logout token would name. */
async function newestIdpSession(username: string): Promise<{ sid: string; sub: string }> {
  const [newest] = await idp.sessionsOf(username);
  if (!newest) throw new Error(`no IdP session for ${username}`);
  return newest;
}

/** The Keycloak session id the browser's app session belongs to, read from its cookie (the stack's secret). */
async function sidOfBrowserSession(page: Page): Promise<unknown> {
  const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  return cookie && (await decode({ token: cookie.value, secret: STACK.nextAuthSecret }))?.sid;
}

/** Logout-token claims exactly as the realm would send them, for the given session. */
function logoutClaims(target: { sid?: string; sub?: string }): JWTPayload {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: STACK.issuer,
    aud: "nextjs-app",
    iat,
    exp: iat + 120,
    jti: randomUUID(),
    typ: "Logout",
    events: { [EVENT]: {} },
    ...target,
  };
}

/** Forgeries an attacker without the realm's private key can make. */
async function forgedTokens(target: { sid: string; sub: string }): Promise<Record<string, string>> {
  const jwks = (await (await fetch(`${STACK.issuer}/protocol/openid-connect/certs`)).json()) as { keys: JWK[] };
  const realmJwk = jwks.keys[0];
  const realmPem = await exportSPKI((await importJWK(realmJwk, "RS256", { extractable: true })) as JoseKey);
  const attacker = await generateKeyPair("RS256");
  const hs256 = (secret: string, claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: realmJwk.kid, typ: "logout+jwt" }).sign(new TextEncoder().encode(secret));
  const bySub = { sub: target.sub };

  return {
    "signed with the attacker's key under the realm kid": await new SignJWT(logoutClaims(target))
      .setProtectedHeader({ alg: "RS256", kid: realmJwk.kid, typ: "logout+jwt" })
      .sign(attacker.privateKey),
    "signed with the attacker's key, sub only": await new SignJWT(logoutClaims(bySub))
      .setProtectedHeader({ alg: "RS256", kid: "attacker", typ: "logout+jwt" })
      .sign(attacker.privateKey),
    "alg none": new UnsecuredJWT(logoutClaims(target)).encode(),
    "alg none with the realm kid and typ": `${Buffer.from(JSON.stringify({ alg: "none", kid: realmJwk.kid, typ: "logout+jwt" })).toString("base64url")}.${Buffer.from(JSON.stringify(logoutClaims(target))).toString("base64url")}.`,
    "HS256 keyed with the realm's public key (PEM)": await hs256(realmPem, logoutClaims(target)),
    "HS256 keyed with the realm's public JWK (JSON)": await hs256(JSON.stringify(realmJwk), logoutClaims(bySub)),
    garbage: "garbage",
    "three dots of base64": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA",
  };
}

async function expectRefused(api: APIRequestContext, label: string, init: Parameters<APIRequestContext["post"]>[1], status = 400) {
  const started = Date.now();
  const response = await api.post(BACKCHANNEL, init);
  const ms = Date.now() - started;
  expect.soft(response.status(), label).toBe(status);
  expect.soft(response.headers()["cache-control"], label).toBe("no-store");
  expect.soft(ms, `${label}: answered in ${ms} ms`).toBeLessThan(1000);
}

test.describe("back-channel logout endpoint", () => {
  test("refuses garbage, forged tokens and malformed requests with a quick 400 (413 when too large), and the signed-in user stays signed in", async ({
    page,
    request,
  }) => {
    // An older session of the same user first: the forgeries must name the browser's, the newest.
    await signInOverHttp({ appUrl: STACK.appA, user: USERS.alice });
    await signIn(page, USERS.alice);
    const target = await newestIdpSession("alice");
    expect(target.sid, "the newest IdP session is the browser's").toBe(await sidOfBrowserSession(page));

    await test.step("forged and garbage tokens", async () => {
      for (const [label, token] of Object.entries(await forgedTokens(target))) {
        await expectRefused(request, label, { form: { logout_token: token } });
      }
    });

    await test.step("malformed requests", async () => {
      const token = (await forgedTokens(target))["alg none"];
      await expectRefused(request, "no logout_token field", { form: { token } });
      await expectRefused(request, "empty logout_token", { form: { logout_token: "" } });
      await expectRefused(request, "empty body", { headers: { "content-type": "application/x-www-form-urlencoded" }, data: "" });
      await expectRefused(request, "JSON body", { data: { logout_token: token } });
      await expectRefused(request, "text/plain body", { headers: { "content-type": "text/plain" }, data: `logout_token=${token}` });
      await expectRefused(request, "no content type", { headers: { "content-type": "" }, data: `logout_token=${token}` });
      await expectRefused(request, "a 1 MB form body", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        data: `logout_token=${"a".repeat(1024 * 1024)}`,
      }, 413);
    });

    await test.step("the user is still signed in, in the app and at the IdP", async () => {
      await page.reload();
      await expect(page.getByText(USERS.alice.email)).toBeVisible();
      expect((await (await page.request.get("/api/auth/session")).json()).user?.email).toBe(USERS.alice.email);
      expect((await newestIdpSession("alice")).sid).toBe(target.sid);
    });
  });

  test("answers 405 to anything but POST", async ({ request }) => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await request.fetch(BACKCHANNEL, { method });
      expect(response.status(), method).toBe(405);
      expect(response.headers()["allow"]).toBe("POST");
      expect(response.headers()["cache-control"]).toBe("no-store");
    }
  });
});

test.describe("session cookie", () => {
  test("tampered, truncated, garbage and foreign cookies never cause a 500: the visitor is signed out", async ({ browser }) => {
    const real = (await signInOverHttp({ appUrl: STACK.appA, user: USERS.alice })).jar.get("next-auth.session-token", STACK.appA)!;
    const middle = Math.floor(real.length / 2);
    const flipped = real[middle] === "A" ? "B" : "A";
    const foreign = await encode({
      token: { sub: "attacker", name: "Mallory", email: "mallory@example.com", sessionId: randomUUID(), refresh_token: "x", provider: "keycloak" },
      secret: "another-secret-0123456789abcdef0123456789abcdef",
    });
    const variants: Record<string, string> = {
      tampered: `${real.slice(0, middle)}${flipped}${real.slice(middle + 1)}`,
      truncated: real.slice(0, middle),
      garbage: "garbage",
      "five empty JWE parts": "....",
      "encrypted with another NEXTAUTH_SECRET": foreign,
    };

    for (const [label, value] of Object.entries(variants)) {
      await test.step(label, async () => {
        const api = await playwrightRequest.newContext({
          baseURL: STACK.appA,
          extraHTTPHeaders: { cookie: `next-auth.session-token=${value}` },
        });
        const home = await api.get("/");
        expect(home.status(), `${label}: /`).toBe(200);
        expect(await home.text()).toContain("You are signed out.");
        const profile = await api.get("/profile", { maxRedirects: 0 });
        expect(profile.status(), `${label}: /profile`).toBe(307);
        expect(profile.headers()["location"]).toMatch(/^\/auth\/signin\?callbackUrl=%2Fprofile/);
        const session = await api.get("/api/auth/session");
        expect(session.status(), `${label}: session`).toBe(200);
        expect(await session.json()).toEqual({});
        await api.dispose();

        const context = await browser.newContext();
        await context.addCookies([{ name: "next-auth.session-token", value, url: STACK.appA }]);
        const page = await context.newPage();
        await page.goto("/profile");
        await expect(page).toHaveURL(/\/auth\/signin\?callbackUrl=%2Fprofile/);
        await expect(page.getByRole("button", { name: "Sign in with Keycloak" })).toBeVisible();
        await context.close();
      });
    }
  });
});

test.describe("callbackUrl", () => {
  test("a foreign callbackUrl on the sign-in page ends on the app's own origin", async ({ page }) => {
    for (const callbackUrl of [EVIL, "//evil.example/", "javascript:alert(1)"]) {
      await test.step(callbackUrl, async () => {
        await page.context().clearCookies();
        await page.goto(`/auth/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
        await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
        await submitLoginForm(page, USERS.alice);
        await expect(page).toHaveURL(`${STACK.appA}/`);
        await expect(page.getByText(USERS.alice.email)).toBeVisible();
      });
    }
  });

  test("next-auth's sign-in and sign-out POSTs with a foreign callbackUrl redirect to the app's origin", async () => {
    const session = await signInOverHttp({ appUrl: STACK.appA, user: USERS.alice, callbackUrl: EVIL });
    expect(new URL(session.landedAt, STACK.appA).origin).toBe(STACK.appA);

    const signOut = await postSignOut(session, { callbackUrl: EVIL });
    expect(signOut.status).toBe(200);
    expect(new URL(signOut.url!).origin).toBe(STACK.appA);
  });
});

test.describe("CSRF", () => {
  test("a sign-out POST without a valid CSRF token ends nothing, in the app or at the IdP", async ({ page }) => {
    await signIn(page, USERS.alice);
    const idpSessions = await idp.countSessions("alice");
    const attackerToken = await csrfToken(new CookieJar(), STACK.appA);

    for (const [label, csrfToken] of [
      ["no token", undefined],
      ["a made-up token", "0".repeat(64)],
      ["the attacker's own token", attackerToken],
    ] as const) {
      await test.step(label, async () => {
        const form: Record<string, string> = { callbackUrl: "/", json: "true" };
        if (csrfToken) form.csrfToken = csrfToken;
        const response = await page.request.post("/api/auth/signout", { form, maxRedirects: 0 });
        expect(response.status()).toBeLessThan(500);
        // next-auth answers with its confirmation page instead of signing out.
        expect(((await response.json()) as { url: string }).url).toContain("csrf=true");
      });
    }

    await page.reload();
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
    expect((await (await page.request.get("/api/auth/session")).json()).user?.email).toBe(USERS.alice.email);
    expect(await idp.countSessions("alice")).toBe(idpSessions);
  });
});

/** Resident memory of the process listening on `port`, in MB, where Linux tools show it. */
function rssMbOfListener(port: number): number | undefined {
  try {
    const pid = /pid=(\d+)/.exec(execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" }))?.[1];
    const kb = pid && /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

test.describe("load", () => {
  test("200 concurrent sign-outs against a hanging provider all finish within the bound, without a 5xx", async ({ page, request }) => {
    test.setTimeout(120_000);
    const port = Number(new URL(STACK.appA).port);
    const rssBefore = rssMbOfListener(port);

    const sessions = await test.step("sign in 200 sessions over HTTP", () => inPool(200, 8, () => signInOverHttp({ appUrl: STACK.appA, user: USERS.alice })));
    const idpSessions = await idp.countSessions("alice");

    const results = await test.step("sign all out at once while the IdP's logout never answers", async () => {
      // A hang, not a delay: without the app's bound these requests would never finish.
      await idp.setFault("logout", "hang");
      const started = Date.now();
      const all = await Promise.all(sessions.map((session) => postSignOut(session)));
      test.info().annotations.push({ type: "sign-outs", description: `200 in ${Date.now() - started} ms, slowest ${Math.max(...all.map((r) => r.ms))} ms` });
      return all;
    });

    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.every((r) => r.status === 200 && r.url === `${STACK.appA}/`)).toBe(true);
    // The bound plus the cost of 200 simultaneous requests on a 2-core machine.
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(STACK.logoutTimeoutMs + 2500);

    await test.step("the app sessions are over and the app is healthy", async () => {
      for (const session of sessions.slice(0, 5)) expect(await getSession(session)).toEqual({});
      expect((await request.get("/api/health")).status()).toBe(200);
      test.info().annotations.push({ type: "app A RSS (MB)", description: `${rssBefore ?? "?"} before, ${rssMbOfListener(port) ?? "?"} after` });
    });

    await test.step("once the IdP answers again, the background retry ends the 200 IdP sessions", async () => {
      await idp.clearFaults();
      await expect.poll(() => idp.countSessions("alice"), { timeout: 20_000, intervals: [500] }).toBeLessThanOrEqual(idpSessions - 200);
    });

    await test.step("a normal sign-in works afterwards", async () => {
      await signIn(page, USERS.alice);
    });
  });
});
