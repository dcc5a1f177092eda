import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { admin, appLogCount } from "./tier";

const alice = USERS.alice;

test.beforeEach(async () => {
  // Counting alice's Keycloak sessions needs a clean start.
  await admin.logoutUser(alice.username);
});

test("sign-out ends the Keycloak session, Keycloak's back-channel call reaches the app, and Sign in asks for the password", async ({ page }) => {
  await test.step("signed in, Keycloak holds one session for alice", async () => {
    await signIn(page, alice);
    expect(await admin.sessionsOf(alice.username)).toHaveLength(1);
  });

  const backchannelBefore = appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED");
  await test.step("sign out", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
  });

  await test.step("Keycloak has no session left for alice", async () => {
    expect(await admin.sessionsOf(alice.username)).toHaveLength(0);
  });

  await test.step("Keycloak's back-channel logout reached the app and was accepted", async () => {
    await expect.poll(() => appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED")).toBe(backchannelBefore + 1);
  });

  await test.step("'Sign in' shows Keycloak's login form again", async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#username")).toBeVisible();
    await expect(page.locator("#kc-login")).toBeVisible();
  });
});

test("control: clearing only the app cookie leaves Keycloak's session alive, so sign-in is silent", async ({ page, context }) => {
  // What next-auth's signOut() alone does; it proves the spec above can fail.
  await signIn(page, alice);
  await context.clearCookies({ name: /^next-auth\.session-token/ });
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(alice.email)).toBeVisible();
  await expect(page.locator("#username")).toHaveCount(0);
  expect(await admin.sessionsOf(alice.username)).toHaveLength(1);
});
