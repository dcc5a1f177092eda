import { expect, test, type Browser, type BrowserContext, type Page, type Request } from "@playwright/test";
import { sessionEndedNotice } from "../../components/LiveSession";
import { USERS } from "../../testing/users.mjs";
import { signIn, signInAgain } from "../helpers";
import type { StackDriver } from "./driver";

/** The signed-out state an open tab must reach by itself within this long (issue 18), in ms. */
const FLIP_BOUND_MS = 2000;

/** A tab on `path` of instance `app`, signed in, idle from now on (no navigation, no focus change). */
async function idleTab(context: BrowserContext, app: string, path = "/profile"): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app}${path}`);
  await expect(page.getByText(USERS.alice.email).first()).toBeVisible();
  // The live channel is open once the tab holding it got its first byte.
  return page;
}

/** How long a flipped tab is watched for requests it should no longer make, in ms. */
const QUIET_AFTER_FLIP_MS = 2000;

/** The tab says its session ended, with `notice`: how long after `startedAt`, in ms. */
async function flippedAfter(page: Page, notice: string, startedAt: number): Promise<number> {
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(notice, { timeout: FLIP_BOUND_MS + 3000 });
  return Date.now() - startedAt;
}

/**
 * The tab shows the signed-out state with `notice`, no longer the user's data, and a header offering "Sign in"; and
 * then it stays quiet: no new live channel and no session refresh over and over.
 */
async function expectFlipped(page: Page, notice: string, startedAt: number): Promise<number> {
  const ms = await flippedAfter(page, notice, startedAt);
  await expectSignedOutAndQuiet(page);
  return ms;
}

async function expectSignedOutAndQuiet(page: Page): Promise<void> {
  await expect(page.getByRole("main").getByText(USERS.alice.email)).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toHaveCount(0);
  const requests: string[] = [];
  const record = (request: Request) => {
    const { pathname } = new URL(request.url());
    if (pathname === "/api/auth/events" || pathname === "/api/auth/csrf") requests.push(`${request.method()} ${pathname}`);
  };
  page.on("request", record);
  await page.waitForTimeout(QUIET_AFTER_FLIP_MS);
  page.off("request", record);
  expect(requests).toEqual([]);
}

/** A second browser of the same user: its own cookies, its own Keycloak session. */
async function secondBrowser(browser: Browser, app: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: app });
  await signIn(await context.newPage(), USERS.alice);
  return context;
}

/** Waits until the tabs of `context` on `origin` have their live channel open (a stream answered there). */
async function streamOpen(context: BrowserContext, origin: string): Promise<void> {
  await expect.poll(() => openedStreams.get(context)?.get(origin) ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
}
const openedStreams = new WeakMap<BrowserContext, Map<string, number>>();
function countStreams(context: BrowserContext): void {
  const byOrigin = new Map<string, number>();
  openedStreams.set(context, byOrigin);
  context.on("response", (response) => {
    const url = new URL(response.url());
    if (url.pathname === "/api/auth/events") byOrigin.set(url.origin, (byOrigin.get(url.origin) ?? 0) + 1);
  });
}

/** The live-session scenarios (issue 18), written once for every stack. */
export function liveSessionScenarios(stack: StackDriver): void {
  test.describe("live sessions: an open tab learns at once that its session ended", () => {
    test("after Sign out everywhere on another browser, the idle tab flips to signed out within 2 s", async ({ browser, context }) => {
      countStreams(context);
      await signIn(await context.newPage(), USERS.alice);
      const tab = await idleTab(context, stack.appA);
      await streamOpen(context, stack.appA);
      const other = await secondBrowser(browser, stack.appA);
      const started = Date.now();
      const response = await other.request.post(`${stack.appA}/api/account/sign-out-everywhere`, { data: {} });
      expect(response.status()).toBe(204);
      const ms = await expectFlipped(tab, sessionEndedNotice("signed-out-everywhere"), started);
      test.info().annotations.push({ type: "flip ms", description: String(ms) });
      expect(ms).toBeLessThanOrEqual(FLIP_BOUND_MS);
      await other.close();
    });

    test("after a Keycloak admin logout, the idle tab on the other instance flips within 2 s (back-channel to A, stream on B)", async ({ context }) => {
      countStreams(context);
      await signIn(await context.newPage(), USERS.alice);
      const tab = await idleTab(context, stack.appB);
      await streamOpen(context, stack.appB);
      const started = Date.now();
      await stack.adminLogout(USERS.alice.username);
      const ms = await expectFlipped(tab, sessionEndedNotice("keycloak-logout"), started);
      expect(ms).toBeLessThanOrEqual(FLIP_BOUND_MS);

      await test.step("Sign in shows the password form again", async () => {
        await tab.getByRole("main").getByRole("button", { name: "Sign in" }).click();
        await expect(tab.locator("#password")).toBeVisible();
      });
    });

    test("seven tabs of one browser share one live channel, keep working, and all flip together", async ({ browser, context }) => {
      countStreams(context);
      await signIn(await context.newPage(), USERS.alice);
      const tabs: Page[] = [];
      for (let i = 0; i < 7; i++) tabs.push(await idleTab(context, stack.appA, i % 2 ? "/" : "/profile"));
      await streamOpen(context, stack.appA);
      await test.step("the tabs still navigate (a stream per tab would exhaust HTTP/1.1's six connections)", async () => {
        await tabs[6].goto(`${stack.appA}/profile`);
        await expect(tabs[6].getByText(USERS.alice.email).first()).toBeVisible();
      });
      expect(openedStreams.get(context)?.get(stack.appA)).toBe(1);

      const other = await secondBrowser(browser, stack.appA);
      const started = Date.now();
      expect((await other.request.post(`${stack.appA}/api/account/sign-out-everywhere`, { data: {} })).status()).toBe(204);
      // Watched together: each tab's time is its own, not the sum of the checks of the tabs before it.
      const times = await Promise.all(tabs.map((tab) => flippedAfter(tab, sessionEndedNotice("signed-out-everywhere"), started)));
      for (const ms of times) expect(ms).toBeLessThanOrEqual(FLIP_BOUND_MS + 1000);
      await Promise.all(tabs.map((tab) => expectSignedOutAndQuiet(tab)));
      await other.close();
    });

    test("after Sign out in one tab, another tab of the browser says the user signed out there (not Keycloak)", async ({ context }) => {
      countStreams(context);
      await signIn(await context.newPage(), USERS.alice);
      const signingOut = await idleTab(context, stack.appA);
      const other = await idleTab(context, stack.appA);
      await streamOpen(context, stack.appA);
      const started = Date.now();
      await signingOut.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
      // Keycloak's back-channel logout for this session arrives during the sign-out: it is the same sign-out.
      const ms = await expectFlipped(other, sessionEndedNotice("signed-out"), started);
      expect(ms).toBeLessThanOrEqual(FLIP_BOUND_MS + 1000);
    });

    test("a tab that flipped shows its page again, signed in, once the user signs in again in another tab", async ({ context }) => {
      countStreams(context);
      await signIn(await context.newPage(), USERS.alice);
      const tab = await idleTab(context, stack.appA);
      await streamOpen(context, stack.appA);
      await stack.adminLogout(USERS.alice.username);
      await flippedAfter(tab, sessionEndedNotice("keycloak-logout"), Date.now());
      await signInAgain(await context.newPage(), USERS.alice);
      await expect(tab.getByRole("main").getByText(USERS.alice.email).first()).toBeVisible({ timeout: 10_000 });
      await expect(tab.getByRole("main").getByRole("alert")).toHaveCount(0);
      await expect(tab.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
    });

    test("where a proxy blocks the live channel, the tab still signs out when it gets focus", async ({ context }) => {
      await context.route("**/api/auth/events", (route) => route.abort());
      await signIn(await context.newPage(), USERS.alice);
      const tab = await idleTab(context, stack.appA);
      await stack.adminLogout(USERS.alice.username);
      // Nothing tells the tab now; the focus does (next-auth refetches the session on visibilitychange). The user comes
      // back to the tab more than once if need be: Keycloak's back-channel call may still be on its way to the app.
      await expect(async () => {
        await tab.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
        await expect(tab.getByRole("main").getByRole("alert")).toHaveText(sessionEndedNotice("ended"), { timeout: 1000 });
      }).toPass({ timeout: 15_000 });
      await expect(tab.getByRole("main").getByText(USERS.alice.email)).toHaveCount(0);
    });
  });
}
