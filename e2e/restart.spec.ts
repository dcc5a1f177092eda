import { expect, test } from "@playwright/test";
import { appEnv, startApp, type AppProcess } from "./appProcess";
import { idp, signIn } from "./helpers";
import { STACK, USERS } from "./stack";

// Instance C uses the in-memory store: it knows nothing of sessions started elsewhere, exactly like an
// instance that has just restarted. The cookie alone must be enough to carry on.

let appC: AppProcess;
test.beforeAll(async () => {
  appC = startApp(STACK.appC, appEnv());
  await appC.ready();
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
    appC = startApp(STACK.appC, appEnv());
    await appC.ready();
    await page.goto(`${STACK.appC}/profile`);
    await expect(page.getByText(USERS.alice.email)).toBeVisible();
  });
});
