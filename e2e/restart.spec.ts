import { expect, test } from "@playwright/test";
import { startApp, type AppServer } from "../testing/appServer.mjs";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, stackAppEnv } from "./helpers";
import { STACK } from "./stack";

// Instance C uses the in-memory store: it knows nothing of sessions started elsewhere, exactly like an
// instance that has just restarted. The cookie alone must be enough to carry on.

let appC: AppServer;
test.beforeAll(async () => {
  appC = await startApp({ url: STACK.appC, env: stackAppEnv() });
});
test.afterAll(async () => {
  await appC?.stop();
});

test("a restarted instance with an empty store keeps the user signed in, re-obtaining the access token by one refresh", async ({ page }) => {
  await signIn(page, USERS.alice);
  const before = (await idp.stats()).refreshGrants;

  await test.step("the fresh instance serves the protected page with the user's roles", async () => {
    await page.goto(`${STACK.appC}/profile`);
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
    await expect(page.getByText("user", { exact: true })).toBeVisible();
    await expect(page.getByText("viewer", { exact: true })).toBeVisible();
    expect((await idp.stats()).refreshGrants - before).toBe(1);
  });

  await test.step("after a real restart of that instance, still signed in", async () => {
    await appC.stop();
    appC = await startApp({ url: STACK.appC, env: stackAppEnv() });
    await page.goto(`${STACK.appC}/profile`);
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
  });
});
