import { expect, test } from "@playwright/test";
import { startApp, type AppServer } from "../testing/appServer.mjs";
import { USERS } from "../testing/users.mjs";
import { signIn, signInAgain, stackAppEnv } from "./helpers";
import { STACK } from "./stack";

// Instance C uses the in-memory store: it knows nothing of sessions started elsewhere, exactly like an instance
// whose store has just lost its data (a restart without persistence). It cannot know which of those sessions were
// signed out, so it ends them all (a store generation in the cookie, lib/session/revocation.ts) and the user signs
// in again: a sign-out is never undone by a store that forgot it.

let appC: AppServer;
test.beforeAll(async () => {
  appC = await startApp({ url: STACK.appC, env: stackAppEnv() });
});
test.afterAll(async () => {
  await appC?.stop();
});

test("an instance whose store forgot everything (a restart of the in-memory store) ends the sessions issued before", async ({ page }) => {
  await signIn(page, USERS.alice);

  await test.step("the instance with an empty store sends the user to sign in, saying the session ended", async () => {
    await page.goto(`${STACK.appC}/profile`);
    await expect(page).toHaveURL(/\/auth\/signin\?/);
    await expect(page.getByText("Your session has ended. Please sign in again.")).toBeVisible();
  });

  await test.step("signing in again works", async () => {
    await signInAgain(page, USERS.alice);
  });
});
