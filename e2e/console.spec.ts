import { expect, test } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { signIn, watchConsole } from "./helpers";
import { STACK } from "./stack";

// A reference app prints nothing to the browser console: no missing favicon, no refused script, no uncaught error,
// on any page, signed out or in, nor on the provider's login page. (The dev-server spec checks `next dev` the same way.)

/** The browser's own line for a page answered with `status`: expected when that page is meant to answer it. */
const documentStatus = (path: string, status: number) => new RegExp(`status of ${status} .*\\(${STACK.appA}${path.replace(/[?]/g, "\\?")}\\)$`);

test("no console error on any page, signed out, as alice and as admin, nor on the provider's login page", async ({ browser }) => {
  const page = await browser.newPage();
  const watch = watchConsole(page);
  await test.step("signed out", async () => {
    for (const path of ["/", "/auth/signin", "/auth/signin?error=OAuthCallback", "/auth/signout", "/no-such-page"]) {
      await page.goto(path);
      await expect(page.getByRole("banner").getByRole("button", { name: /Sign (in|out)/ })).toBeEnabled();
    }
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  });
  await test.step("alice, through the provider's login page", async () => {
    await signIn(page, USERS.alice);
    for (const path of ["/", "/profile", "/admin"]) {
      await page.goto(path);
      await expect(page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true })).toBeEnabled();
    }
  });
  watch.expectNone([documentStatus("/no-such-page", 404), documentStatus("/admin", 403)]);
  await page.close();

  const admin = await browser.newPage();
  const adminConsole = watchConsole(admin);
  await signIn(admin, USERS.admin);
  await admin.goto("/admin");
  await expect(admin.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  adminConsole.expectNone();
  await admin.close();
});

test("the header names the app and shows who is signed in; a phone's width needs no sideways scrolling", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, USERS.alice);
  const banner = page.getByRole("banner");
  await expect(banner.getByRole("link", { name: "Keycloak sign-out demo" })).toBeVisible();
  for (const path of ["/", "/profile", "/auth/signin?error=OAuthCallback", "/no-such-page"]) {
    await page.goto(path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
  }
  await page.close();
});

test("/auth/reauth sends a visitor who is not signed in to sign in, then on to the page", async ({ page }) => {
  await page.goto("/auth/reauth?callbackUrl=%2Fadmin&maxAge=300");
  await expect(page).toHaveURL(`${STACK.appA}/auth/signin?callbackUrl=%2Fadmin`);
  await expect(page.getByRole("button", { name: "Sign in with Keycloak" })).toBeVisible();
});

test("a page drops the re-authentication flag from the address once it is shown", async ({ page }) => {
  await page.goto("/?reauth=1");
  await expect(page).toHaveURL(`${STACK.appA}/`);
});
