import { expect, test } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { expectAdminGate, idp, signIn, submitLoginForm } from "./helpers";
import { STACK } from "./stack";

test("a protected page sends a visitor to sign in and brings them back", async ({ page }) => {
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/auth\/signin\?callbackUrl=%2Fprofile/);
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await submitLoginForm(page, USERS.alice);
  await expect(page).toHaveURL(`${STACK.appA}/profile`);
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await expect(page.getByText("user", { exact: true })).toBeVisible();
  await expect(page.getByText("viewer", { exact: true })).toBeVisible();
});

test("roles gate /admin: 403 page for a user without the admin role, the page for an admin", async ({ browser }) => {
  await expectAdminGate(browser);
});

test("the session survives access-token expiry: the server refreshes it and calls Keycloak with it", async ({ page }) => {
  await signIn(page, USERS.alice);
  const before = (await idp.stats()).refreshGrants;

  await test.step("after the access token expires, the next page view refreshes it", async () => {
    await expect
      .poll(
        async () => {
          await page.goto("/profile");
          return (await idp.stats()).refreshGrants;
        },
        { timeout: (STACK.accessTokenTtlS + 10) * 1000, intervals: [1000] },
      )
      .toBeGreaterThan(before);
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  });

  await test.step("userinfo is fetched server-side with the fresh token, never exposed", async () => {
    const responsePromise = page.waitForResponse("**/api/keycloak/userinfo");
    await page.getByRole("button", { name: "Load userinfo" }).click();
    const response = await responsePromise;
    expect(response.status()).toBe(200);
    expect(await response.text()).not.toMatch(/eyJ|token/i);
    await expect(page.getByLabel("Userinfo").getByText("alice")).toBeVisible();
  });
});

test("a Keycloak-side end of the session (admin logout) signs the user out of the app", async ({ page }) => {
  await signIn(page, USERS.alice);
  await idp.logoutUser("alice");
  await page.goto("/");
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/auth\/signin/);
});
