import { expect, test } from "@playwright/test";
import { getSession, signIn as signInOverHttp } from "../../testing/nextAuthClient.mjs";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin, appLogCount } from "./tier";

// "Your sessions" and "Sign out everywhere" against Keycloak's own Account REST API: the realm must grant what the
// API needs (audience `account`, role manage-account), and Keycloak's back-channel logouts must reach the app.

const alice = USERS.alice;

test.beforeEach(async () => {
  await admin.logoutUser(alice.username);
});

test("Your sessions lists the other computer's Keycloak session, and Sign out ends it there", async ({ page }) => {
  const elsewhere = await signInOverHttp({ appUrl: KC_STACK.appB, publicUrl: KC_STACK.appA, user: alice });
  await signIn(page, alice);
  await page.goto("/profile");

  const list = page.getByRole("list", { name: "Your Keycloak sessions" });
  await expect(list.getByRole("listitem").filter({ hasText: "(this browser)" })).toHaveCount(1);
  const others = list.getByRole("listitem").filter({ hasNotText: "(this browser)" });
  await expect(others).toHaveCount(1);
  await expect(others.first()).toContainText("Next.js app");
  expect(await admin.sessionsOf(alice.username)).toHaveLength(2);

  const backchannelBefore = appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED");
  await others.first().getByRole("button", { name: /^Sign out / }).click();
  await expect(others).toHaveCount(0);
  await expect.poll(async () => (await admin.sessionsOf(alice.username)).length).toBe(1);
  expect(appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED")).toBe(backchannelBefore + 1);
  await expect.poll(async () => (await getSession(elsewhere)).user ?? null).toBeNull();
});

test("Sign out everywhere: Keycloak keeps no session of the user, and no instance accepts any of the app sessions", async ({ page }) => {
  const elsewhere = await signInOverHttp({ appUrl: KC_STACK.appB, publicUrl: KC_STACK.appA, user: alice });
  await signIn(page, alice);
  await page.goto("/profile");
  await expect(page.getByRole("list", { name: "Your Keycloak sessions" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(`${KC_STACK.appA}/`);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  expect(await admin.sessionsOf(alice.username)).toEqual([]);
  for (const app of [KC_STACK.appA, KC_STACK.appB]) expect((await getSession(elsewhere, app)).user).toBeUndefined();

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#username")).toBeVisible();
});
