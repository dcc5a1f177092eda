import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { expectAdminGate } from "../helpers";
import { KC_STACK } from "./stack";
import { admin } from "./tier";

test.beforeEach(async () => {
  // Without Keycloak sessions left by earlier specs, "Sign in" shows the login form.
  for (const user of [USERS.alice, USERS.admin]) await admin.logoutUser(user.username);
});

test("sign-in on Keycloak's own login page: the user and roles are shown, no token reaches the browser", async ({ page }) => {
  await test.step("'Sign in' leads to Keycloak's login page", async () => {
    await page.goto("/");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`^${KC_STACK.issuer}/`));
    await expect(page.locator("#kc-login")).toBeVisible();
  });

  await test.step("credentials lead back to the app, signed in", async () => {
    await page.locator("#username").fill(USERS.alice.username);
    await page.locator("#password").fill(USERS.alice.password);
    await page.locator("#kc-login").click();
    await expect(page).toHaveURL(`${KC_STACK.appA}/`);
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
  });

  await test.step("the session JSON and the page hold no token", async () => {
    const body = await (await page.request.get("/api/auth/session")).text();
    expect(JSON.parse(body).user).toMatchObject({ name: USERS.alice.name, email: USERS.alice.email });
    expect(body).not.toMatch(/eyJ/);
    expect(await page.content()).not.toMatch(/eyJ/);
  });

  await test.step("the profile shows the realm and client roles from Keycloak's access token", async () => {
    await page.goto("/profile");
    expect(await page.content()).not.toMatch(/eyJ/);
    await expect(page.getByRole("list", { name: "Realm roles" }).getByRole("listitem")).toHaveText([...USERS.alice.realmRoles]);
    await expect(page.getByRole("list", { name: "App roles" }).getByRole("listitem")).toHaveText([...USERS.alice.clientRoles]);
  });
});

test("roles gate /admin: an admin sees it, a user without the role gets the 403 page", async ({ browser }) => {
  await expectAdminGate(browser);
});
