import { expect, request, test, type Page } from "@playwright/test";
import { decode } from "next-auth/jwt";
import { sessionErrorMessage } from "../components/sessionErrorMessage";
import { tokenRequest } from "../testing/oidcClient.mjs";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, submitLoginForm, waitUntilRefreshDue } from "./helpers";
import { STACK } from "./stack";

// Provider faults (idp/README.md, control API) in each phase, and what the user sees. docs/FAULTS.md
// lists the cells. Faults are global to the IdP: cleared after every test.

type Fault = { mode: "hang" | "status503" | "reset" | "slow"; ms?: number; label: string };

const SIGN_OUT_FAULTS: Fault[] = [
  { mode: "status503", label: "answers 503" },
  { mode: "hang", label: "hangs" },
  { mode: "reset", label: "resets the connection" },
  { mode: "slow", ms: 2000, label: "takes 2 s (past the 1.5 s bound)" },
];
const UNAVAILABLE: Fault[] = [
  { mode: "status503", label: "answers 503" },
  { mode: "hang", label: "hangs" },
  { mode: "reset", label: "resets the connection" },
];

// A delay past the bound: this IdP drops the abandoned request (Keycloak would finish it; see docs/FAULTS.md).
const REFRESH_FAULTS: Fault[] = UNAVAILABLE;

// The app's refresh wait (KEYCLOAK_REFRESH_WAIT_MS) plus page rendering on a busy 2-core machine.
const REFRESH_BOUND_MS = STACK.refreshWaitMs + 3000;
// openid-client's HTTP timeout inside next-auth (3.5 s) bounds the code exchange, plus the redirects.
const CODE_EXCHANGE_BOUND_MS = 3500 + 3000;

async function setFault(endpoint: "logout" | "token" | "auth" | "discovery", fault: Fault) {
  await idp.setFault(endpoint, fault.mode, fault.ms);
}

async function expectAppHealthy(page: Page) {
  expect((await page.request.get("/api/health")).status()).toBe(200);
}

test.afterEach(async () => {
  await idp.clearFaults();
});

test.describe("sign-out while Keycloak's logout endpoint fails", () => {
  for (const fault of SIGN_OUT_FAULTS) {
    test(`when it ${fault.label}: sign-out completes within the bound and the next sign-in asks for credentials`, async ({ page }) => {
      await signIn(page, USERS.alice);
      const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token")!;
      await setFault("logout", fault);

      await test.step("sign out", async () => {
        const started = Date.now();
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
        await expect(page.getByText("You are signed out.")).toBeVisible();
        expect(Date.now() - started).toBeLessThan(STACK.logoutTimeoutMs + 3000);
      });

      await test.step("a copy of the old cookie no longer works (revoked before the IdP call)", async () => {
        const copy = await request.newContext({ baseURL: STACK.appA, extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` } });
        expect(await (await copy.get("/api/auth/session")).json()).toEqual({});
        await copy.dispose();
      });

      await test.step("no silent re-login: Sign in shows the login form", async () => {
        await idp.clearFaults();
        await page.getByRole("button", { name: "Sign in" }).click();
        await expect(page.locator("#username")).toBeVisible();
        await submitLoginForm(page, USERS.alice);
        await expect(page.getByText(USERS.alice.email)).toBeVisible();
      });
    });
  }
});

test.describe("sign-in while Keycloak's token endpoint fails (the callback's code exchange)", () => {
  for (const fault of UNAVAILABLE) {
    test(`when it ${fault.label}: the sign-in page explains the failure, and a retry signs in once it is back`, async ({ page }) => {
      await page.goto("/");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("#username")).toBeVisible();
      await setFault("token", fault);

      const started = Date.now();
      await submitLoginForm(page, USERS.alice);
      await expect(page).toHaveURL(/\/auth\/signin\?.*\berror=OAuthCallback\b/, { timeout: CODE_EXCHANGE_BOUND_MS });
      expect(Date.now() - started).toBeLessThan(CODE_EXCHANGE_BOUND_MS);
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(sessionErrorMessage("OAuthCallback"));
      expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
      await expectAppHealthy(page);

      await test.step("after the fault clears, Sign in completes (the Keycloak session is there)", async () => {
        await idp.clearFaults();
        await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
        await expect(page.getByText(USERS.alice.email)).toBeVisible();
      });
    });
  }
});

test.describe("sign-in while Keycloak's authorization endpoint or discovery fails", () => {
  test("when the authorization endpoint answers 503: the browser shows the IdP's error page, the app stays healthy", async ({ page }) => {
    await page.goto("/");
    await setFault("auth", { mode: "status503", label: "" });
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`^${STACK.issuer}/protocol/openid-connect/auth`));
    await expect(page.getByRole("heading", { name: "503 Service Unavailable" })).toBeVisible();

    await idp.clearFaults();
    await page.goto("/");
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await expectAppHealthy(page);
    await signIn(page, USERS.alice);
  });

  test("when the authorization endpoint resets the connection: the browser's navigation fails, the app stays healthy", async ({ page }) => {
    await page.goto("/");
    await setFault("auth", { mode: "reset", label: "" });
    const failed = page.waitForEvent("requestfailed", (r) => r.url().startsWith(`${STACK.issuer}/protocol/openid-connect/auth`));
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await failed).failure()?.errorText).toMatch(/ERR_(EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)/);
    // What the user sees is the browser's own "This page isn't working" page.
    await page.waitForURL(/^chrome-error:/);

    await idp.clearFaults();
    await page.goto("/");
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await expectAppHealthy(page);
    await signIn(page, USERS.alice);
  });

  test("when discovery answers 503: the app's sign-in page explains the failure", async ({ page }) => {
    await page.goto("/");
    await setFault("discovery", { mode: "status503", label: "" });
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/auth\/signin\?.*\berror=OAuthSignin\b/);
    // Keycloak answered, with an error: the page says so rather than "did not answer".
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(/^Keycloak answered with an error \(HTTP 503\)/);
    await expectAppHealthy(page);

    await idp.clearFaults();
    await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
    await expect(page.locator("#username")).toBeVisible();
  });
});

test.describe("refresh while Keycloak's token endpoint fails", () => {
  for (const fault of REFRESH_FAULTS) {
    test(`when it ${fault.label}: the page answers within the bound with the session error, and the session recovers once it is back`, async ({
      page,
    }) => {
      await signIn(page, USERS.alice);
      await waitUntilRefreshDue(Date.now());
      await setFault("token", fault);

      await test.step("the next page view reports the error within the bound", async () => {
        const started = Date.now();
        await page.goto("/");
        await expect(page.getByRole("main").getByRole("alert")).toContainText(sessionErrorMessage("RefreshAccessTokenError"));
        expect(Date.now() - started).toBeLessThan(REFRESH_BOUND_MS);
        const session = await (await page.request.get("/api/auth/session")).json();
        expect(session).toMatchObject({ error: "RefreshAccessTokenError" });
        expect(session.user).toBeUndefined();
        await expectAppHealthy(page);
      });

      await test.step("after the fault clears, the next request refreshes and the user is back", async () => {
        await idp.clearFaults();
        await page.goto("/");
        await expect(page.getByText(USERS.alice.email)).toBeVisible();
        await page.goto("/profile");
        await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
      });
    });
  }

  test("when it takes 2 s (past the 1.5 s wait): the page answers within the bound, and the slow refresh's result is used next", async ({
    page,
  }) => {
    await signIn(page, USERS.alice);
    await waitUntilRefreshDue(Date.now());
    await setFault("token", { mode: "slow", ms: 2000, label: "" });
    const grantsBefore = (await idp.stats()).refreshGrants;

    await test.step("the next page view reports the error within the bound", async () => {
      const started = Date.now();
      await page.goto("/");
      await expect(page.getByRole("main").getByRole("alert")).toContainText(sessionErrorMessage("RefreshAccessTokenError"));
      expect(Date.now() - started).toBeLessThan(REFRESH_BOUND_MS);
    });

    await test.step("the refresh went on in the background: the user is back with no second refresh, fault still set", async () => {
      await expect
        .poll(async () => (await (await page.request.get("/api/auth/session")).json()).user?.email, { timeout: 10_000 })
        .toBe(USERS.alice.email);
      expect((await idp.stats()).refreshGrants - grantsBefore).toBe(1);
      await page.goto("/");
      await expect(page.getByText(USERS.alice.email)).toBeVisible();
    });
  });

  test("when Keycloak refuses the refresh (invalid_grant: the refresh token was used elsewhere): the session ends cleanly", async ({
    page,
  }) => {
    await signIn(page, USERS.alice);
    const signedInAt = Date.now();

    await test.step("a stolen copy of the refresh token is used first: Keycloak rotates it", async () => {
      const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token")!;
      const jwt = await decode({ token: cookie.value, secret: STACK.nextAuthSecret });
      const { status } = await tokenRequest(STACK.issuer, { grant_type: "refresh_token", refresh_token: String(jwt?.refresh_token) });
      expect(status).toBe(200);
    });

    await test.step("the app's next refresh is refused: signed out, the protected page asks to sign in", async () => {
      await waitUntilRefreshDue(signedInAt);
      await page.goto("/");
      await expect(page.getByText("You are signed out.")).toBeVisible();
      expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
      await page.goto("/profile");
      await expect(page).toHaveURL(/\/auth\/signin\?callbackUrl=%2Fprofile/);
    });

    await test.step("Keycloak ended its session too (reuse detection): Sign in shows the login form", async () => {
      await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
      await expect(page.locator("#username")).toBeVisible();
    });
  });
});
