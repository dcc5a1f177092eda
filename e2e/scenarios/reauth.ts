import { expect, test, type Page } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import type { StackDriver } from "./driver";

/** Opens `path` each second until the password entry is too old and the page sends the browser to /auth/reauth. */
async function untilReauthAsked(page: Page, path: string, stack: StackDriver): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.goto(path);
        return new URL(page.url()).pathname;
      },
      { timeout: (stack.reauthMaxAgeS + 10) * 1000, intervals: [1000] },
    )
    .toBe("/auth/reauth");
}

/** /admin needs a password entered within the stack's reauthMaxAgeS: the provider must honour max_age with a live SSO session. */
export function reauthScenarios(stack: StackDriver): void {
  test("an admin whose password entry is too old types it again and comes back to /admin, in the same provider session", async ({ page }) => {
    await stack.adminLogout(USERS.admin.username);
    await signIn(page, USERS.admin);
    const sessionsBefore = await stack.sessionIds(USERS.admin.username);
    expect(sessionsBefore).toHaveLength(1);

    await test.step("right after sign-in, /admin opens", async () => {
      await page.goto("/admin");
      await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
    });

    await test.step("once the password entry is older than the limit, /admin asks to confirm it is you", async () => {
      await untilReauthAsked(page, "/admin", stack);
      await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
    });

    await test.step("the provider asks for the password although its SSO session is alive, and brings the admin back", async () => {
      await page.getByRole("button", { name: "Continue to Keycloak" }).click();
      await stack.answerLoginForm(page, USERS.admin);
      // Back on the page; the flag of this round trip (when it started) is dropped from the address once shown.
      await expect(page).toHaveURL(new RegExp(`^${stack.appA}/admin(\\?reauth=\\d+)?$`));
      await expect(page.getByRole("heading", { name: "Admin" })).toBeVisible();
      // The same session: re-authentication did not open a second one.
      expect(await stack.sessionIds(USERS.admin.username)).toEqual(sessionsBefore);
    });

    await test.step("a bookmarked /admin?reauth from long ago starts a new round trip rather than refusing", async () => {
      await untilReauthAsked(page, "/admin?reauth=1", stack);
    });
  });
}
