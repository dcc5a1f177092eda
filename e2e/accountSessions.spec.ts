import { expect, test } from "@playwright/test";
import { getSession, signIn as signInOverHttp } from "../testing/nextAuthClient.mjs";
import { USERS } from "../testing/users.mjs";
import { idp, signIn } from "./helpers";
import { STACK } from "./stack";

// "I signed in on a shared computer: how do I end that session from my phone?" The other computer is an HTTP client
// with its own cookies; the phone is the browser.

test.beforeEach(async () => {
  // Sessions other specs left behind would be listed too: start from none.
  await idp.logoutUser("alice");
});

test("Your sessions lists the other computer, and Sign out ends it there", async ({ page }) => {
  const elsewhere = await signInOverHttp({ appUrl: STACK.appA, user: USERS.alice });
  await signIn(page, USERS.alice);
  await page.goto("/profile");

  const list = page.getByRole("list", { name: "Your Keycloak sessions" });
  await expect(list.getByRole("listitem").filter({ hasText: "(this browser)" })).toHaveCount(1);
  const others = list.getByRole("listitem").filter({ hasNotText: "(this browser)" });
  await expect(others).toHaveCount(1);

  await others.first().getByRole("button", { name: /^Sign out / }).click();
  await expect(others).toHaveCount(0);
  // Keycloak's back-channel logout reached the app: the other computer's next read is signed out.
  await expect.poll(async () => (await getSession(elsewhere)).user ?? null).toBeNull();
  expect((await getSession(elsewhere, STACK.appB)).user).toBeUndefined();
});

test("Sign out everywhere ends every Keycloak session of the user and every app session, this one included", async ({ page }) => {
  const elsewhere = await signInOverHttp({ appUrl: STACK.appB, publicUrl: STACK.appA, user: USERS.alice });
  await signIn(page, USERS.alice);
  await page.goto("/profile");
  await expect(page.getByRole("list", { name: "Your Keycloak sessions" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(`${STACK.appA}/`);
  await expect(page.getByText("You are signed out.")).toBeVisible();
  expect(await idp.countSessions("alice")).toBe(0);
  expect((await getSession(elsewhere)).user).toBeUndefined();

  await test.step("the next Sign in asks for the password", async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#username")).toBeVisible();
  });
});

test("Keycloak down: Sign out everywhere says so and nobody is signed out", async ({ page }) => {
  await signIn(page, USERS.alice);
  await page.goto("/profile");
  await expect(page.getByRole("list", { name: "Your Keycloak sessions" })).toBeVisible();
  const before = await idp.countSessions("alice");
  await idp.setFault("all", "status503");
  try {
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    // Next's route announcer is an empty alert too: name the message.
    await expect(page.getByRole("alert").filter({ hasText: "Keycloak could not be reached" })).toBeVisible();
  } finally {
    await idp.clearFaults();
  }
  expect(await idp.countSessions("alice")).toBe(before);
  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
});
