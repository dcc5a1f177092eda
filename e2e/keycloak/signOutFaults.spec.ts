import { expect, test } from "@playwright/test";
import type { FaultMode } from "../../testing/faultProxy.mjs";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin, answerLoginForm, keycloakNetwork } from "./tier";

const alice = USERS.alice;
// The bound plus a page navigation; without the timeout a hanging Keycloak would hold the sign-out.
const SIGN_OUT_BUDGET_MS = KC_STACK.logoutTimeoutMs + 3000;

test.beforeEach(async () => {
  // Counting alice's Keycloak sessions needs a clean start.
  await admin.logoutUser(alice.username);
});

test.afterEach(async () => {
  await keycloakNetwork("pass");
});

const faults: [FaultMode, string][] = [
  ["refuse", "unreachable (connection refused)"],
  ["hang", "hanging (connection accepted, never answered)"],
  ["reset", "resetting connections"],
];

for (const [mode, what] of faults) {
  test(`sign-out with Keycloak ${what} completes within the bound, and the next sign-in asks for credentials`, async ({ page }) => {
    await signIn(page, alice);
    await keycloakNetwork(mode);

    await test.step("sign-out completes within the logout timeout", async () => {
      const started = Date.now();
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page.getByText("You are signed out.")).toBeVisible();
      expect(Date.now() - started).toBeLessThan(SIGN_OUT_BUDGET_MS);
    });

    await test.step("Keycloak's session outlived the failed logout", async () => {
      expect(await admin.sessionsOf(alice.username)).toHaveLength(1);
    });

    await test.step("with Keycloak back, 'Sign in' asks for alice's password again, then signs in", async () => {
      await keycloakNetwork("pass");
      await page.getByRole("button", { name: "Sign in" }).click();
      // Over the SSO session still alive, prompt=login gets Keycloak's re-authentication form: the user is fixed.
      await expect(page.locator("#kc-attempted-username")).toHaveValue(alice.username);
      await answerLoginForm(page, alice);
      await expect(page.getByText(alice.email)).toBeVisible();
    });
  });
}
