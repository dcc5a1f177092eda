import { expect, test } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, submitLoginForm } from "./helpers";
import { STACK } from "./stack";

test.afterEach(async () => {
  await idp.clearFaults();
});

test("sign-out ends the Keycloak session: the next sign-in asks for the password again", async ({ page }) => {
  let liveSessions = 0;
  await test.step("sign in and see the user", async () => {
    await signIn(page, USERS.alice);
    await expect(page.getByText(USERS.alice.name)).toBeVisible();
    liveSessions = await idp.countSessions("alice");
    expect(liveSessions).toBeGreaterThan(0);
  });

  await test.step("the browser's session JSON carries no token", async () => {
    const body = await (await page.request.get("/api/auth/session")).text();
    expect(JSON.parse(body).user).toMatchObject({ name: USERS.alice.name, email: USERS.alice.email });
    expect(body).not.toMatch(/eyJ|token/i);
    expect(await page.content()).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  await test.step("sign out", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    expect(await idp.countSessions("alice")).toBe(liveSessions - 1);
  });

  await test.step("Sign in shows the login form again", async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#username")).toBeVisible();
  });
});

test("control: clearing only the app cookie leaves Keycloak's session alive, so sign-in is silent", async ({ page, context }) => {
  // What next-auth's signOut() alone does. This proves the spec above can fail.
  await signIn(page, USERS.alice);
  await context.clearCookies({ domain: "localhost", name: "next-auth.session-token" });
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(USERS.alice.email)).toBeVisible();
  await expect(page.locator("#username")).toHaveCount(0);
});

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
