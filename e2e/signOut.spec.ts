import { expect, test } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, submitLoginForm } from "./helpers";
import { builtInStack } from "./driver";
import { signOutScenarios } from "./scenarios/signOut";
import { STACK } from "./stack";

test.afterEach(async () => {
  await idp.clearFaults();
});

signOutScenarios(builtInStack);

// Faults on the logout endpoint alone need the built-in provider's per-endpoint faults; the Keycloak tier breaks the
// network to all of Keycloak instead (e2e/keycloak/signOutFaults.spec.ts).
test("sign-out completes within the bound when Keycloak's logout hangs, and the next sign-in asks for credentials", async ({ page }) => {
  await signIn(page, USERS.alice);
  await idp.setFault("logout", "hang");

  const started = Date.now();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  // The bound plus page navigation; without the timeout this would wait forever.
  expect(Date.now() - started).toBeLessThan(STACK.logoutTimeoutMs + 3000);

  await idp.clearFaults();
  expect(await idp.countSessions("alice")).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#username")).toBeVisible();
  await submitLoginForm(page, USERS.alice);
  await expect(page.getByText(USERS.alice.email)).toBeVisible();
});

test("when Keycloak's logout fails with 503, the next sign-in still asks for credentials", async ({ page }) => {
  await signIn(page, USERS.alice);
  await idp.setFault("logout", "status503");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();

  await idp.clearFaults();
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#username")).toBeVisible();
  await submitLoginForm(page, USERS.alice);
  await expect(page.getByText(USERS.alice.email)).toBeVisible();

  await test.step("after a successful sign-in, SSO is silent again (the marker is cleared)", async () => {
    await page.context().clearCookies({ name: "next-auth.session-token" });
    await page.goto("/");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
  });
});
