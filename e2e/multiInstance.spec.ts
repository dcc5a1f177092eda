import { expect, test } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, waitUntilRefreshDue } from "./helpers";
import { STACK } from "./stack";

// Instances A and B are two processes behind one public URL, sharing Redis. Cookies on localhost are
// shared across ports, so the browser's session reaches both.

test("a back-channel logout received by instance A ends the session on instance B", async ({ page }) => {
  await signIn(page, USERS.alice);
  await page.goto(`${STACK.appB}/profile`);
  await expect(page.getByText(USERS.alice.email)).toBeVisible();

  await idp.logoutUser("alice");

  await page.goto(`${STACK.appB}/`);
  await expect(page.getByText("You are signed out.")).toBeVisible();
});

test("a burst of 20 requests split over both instances after expiry performs one refresh", async ({ page }) => {
  await signIn(page, USERS.alice);
  await waitUntilRefreshDue(Date.now());

  const before = (await idp.stats()).refreshGrants;
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => page.request.get(`${i % 2 ? STACK.appB : STACK.appA}/api/auth/session`)),
  );
  const bodies = await Promise.all(responses.map((r) => r.json()));

  expect(bodies.every((b) => b.user?.email === USERS.alice.email)).toBe(true);
  expect((await idp.stats()).refreshGrants - before).toBe(1);

  await test.step("with single-use refresh tokens the session is still alive afterwards", async () => {
    await page.goto("/profile");
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
  });
});
