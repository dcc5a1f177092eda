import { expect, test } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, submitLoginForm } from "./helpers";
import { STACK } from "./stack";

// /admin needs a password entered within STACK.reauthMaxAgeS (10 s in this stack).

test("an admin whose password entry is too old types it again at Keycloak and comes back to /admin, still signed in", async ({ page }) => {
  await signIn(page, USERS.admin);
  const sessionsBefore = await idp.countSessions("admin");

  await test.step("right after sign-in, /admin opens", async () => {
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
  });

  await test.step("once the password entry is older than the limit, /admin asks to confirm it is you", async () => {
    await expect
      .poll(
        async () => {
          await page.goto("/admin");
          return new URL(page.url()).pathname;
        },
        { timeout: (STACK.reauthMaxAgeS + 10) * 1000, intervals: [1000] },
      )
      .toBe("/auth/reauth");
    await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
  });

  await test.step("Keycloak shows its login form although the SSO session is alive, and brings the admin back", async () => {
    await page.getByRole("button", { name: "Continue to Keycloak" }).click();
    await expect(page.locator("#username")).toBeVisible();
    await submitLoginForm(page, USERS.admin);
    // Back on the page; the flag of this round trip (when it started) may already be dropped from the address.
  await expect(page).toHaveURL(new RegExp(`^${STACK.appA}/admin(\\?reauth=\\d+)?$`));
    await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
    // The same Keycloak session: re-authentication did not open a second one.
    expect(await idp.countSessions("admin")).toBe(sessionsBefore);
  });
});
