import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin, answerLoginForm } from "./tier";

// /admin needs a password entered within KC_STACK.reauthMaxAgeS; Keycloak must honour max_age with a live SSO session.

test("an admin whose password entry is too old confirms it at Keycloak and comes back to /admin in the same Keycloak session", async ({ page }) => {
  await admin.logoutUser(USERS.admin.username);
  await signIn(page, USERS.admin);
  const [session] = await admin.sessionsOf(USERS.admin.username);

  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();

  await expect
    .poll(
      async () => {
        await page.goto("/admin");
        return new URL(page.url()).pathname;
      },
      { timeout: (KC_STACK.reauthMaxAgeS + 10) * 1000, intervals: [1000] },
    )
    .toBe("/auth/reauth");

  await page.getByRole("button", { name: "Continue to Keycloak" }).click();
  // Keycloak asks for the password although its SSO session is alive (max_age).
  await answerLoginForm(page, USERS.admin);
  // Back on the page; the flag of this round trip (when it started) may already be dropped from the address.
  await expect(page).toHaveURL(new RegExp(`^${KC_STACK.appA}/admin(\\?reauth=\\d+)?$`));
  await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
  expect((await admin.sessionsOf(USERS.admin.username)).map((s: { id: string }) => s.id)).toEqual([session.id]);
});
