import { expect, type Browser, type Page } from "@playwright/test";
import { refreshMarginS } from "../lib/session/tokenState";
import { appEnv } from "../testing/appServer.mjs";
import { idpControl } from "../testing/idpControl.mjs";
import { USERS, type TestUser } from "../testing/users.mjs";
import { STACK } from "./stack";

/** Fills Keycloak's login form (field ids username/password, submit kc-login). */
export async function submitLoginForm(page: Page, user: TestUser): Promise<void> {
  await page.locator("#username").fill(user.username);
  await page.locator("#password").fill(user.password);
  await page.locator("#kc-login").click();
}

/** From the home page: "Sign in", the Keycloak login form, and back home signed in. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#username")).toBeVisible();
  await submitLoginForm(page, user);
  await expect(page.getByText(user.email)).toBeVisible();
}

/**
 * "Sign in" while Keycloak's SSO session may still live (the app session ended, Keycloak's did not): Keycloak signs
 * the user in without a form, or shows it; either way the user is back.
 */
export async function signInAgain(page: Page, user: TestUser): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).click();
  const form = page.locator("#username");
  const email = page.getByText(user.email);
  await expect(form.or(email).first()).toBeVisible();
  if (await form.isVisible()) await submitLoginForm(page, user);
  await expect(email).toBeVisible();
}

/** /admin needs the realm role `admin`: alice gets the 403 page, admin the page. */
export async function expectAdminGate(browser: Browser): Promise<void> {
  for (const [user, status, heading] of [
    [USERS.alice, 403, "403 Forbidden"],
    [USERS.admin, 200, "Admin"],
  ] as const) {
    const page = await browser.newPage();
    await signIn(page, user);
    expect((await page.goto("/admin"))?.status(), user.username).toBe(status);
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    await page.close();
  }
}

/** The stack's identity provider's control API (test setup only; the app is driven through the browser). */
export const idp = idpControl(STACK.idpOrigin);

/** Waits, without touching the session, until an access token issued at `issuedAtMs` is due for refresh. */
export async function waitUntilRefreshDue(issuedAtMs: number): Promise<void> {
  const dueAt = issuedAtMs + (STACK.accessTokenTtlS - refreshMarginS(STACK.accessTokenTtlS)) * 1000 + 500;
  await expect.poll(() => Date.now() >= dueAt, { timeout: STACK.accessTokenTtlS * 1000, intervals: [250] }).toBe(true);
}

/** Runs `task` for 0..count-1 with at most `concurrency` at a time; results in order. */
export async function inPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** The environment of every e2e app instance: all sit behind one public URL, instance A's. */
export function stackAppEnv(redisUrl?: string): Record<string, string> {
  return appEnv({
    publicUrl: STACK.appA,
    issuer: STACK.issuer,
    secret: STACK.nextAuthSecret,
    logoutTimeoutMs: STACK.logoutTimeoutMs,
    refreshWaitMs: STACK.refreshWaitMs,
    reauthMaxAgeS: STACK.reauthMaxAgeS,
    redisUrl,
  });
}

/** What a page printed to the browser console as an error, and its uncaught exceptions. */
export interface ConsoleWatch {
  /** Every error so far, one line each: the text and where it came from. */
  readonly errors: string[];
  /** Fails the test on any error not matched by `expected` (e.g. the 404 of a page that is meant to be missing). */
  expectNone(expected?: RegExp[]): void;
}

/** Starts collecting `page`'s console errors and uncaught exceptions. */
export function watchConsole(page: Page): ConsoleWatch {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (${message.location().url || page.url()})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught ${error.name}: ${error.message} (${page.url()})`));
  return {
    errors,
    expectNone(expected = []) {
      const unexpected = errors.filter((line) => !expected.some((pattern) => pattern.test(line)));
      expect(unexpected, "browser console errors").toEqual([]);
    },
  };
}
