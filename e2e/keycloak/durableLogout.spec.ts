import { expect, test } from "@playwright/test";
import { appEnv, startApp, type AppServer } from "../../testing/appServer.mjs";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin, keycloakNetwork } from "./tier";

// Keycloak unreachable at sign-out, then the instance that served it stops: the others, sharing its Redis, end the
// Keycloak session once Keycloak answers again (the first retry is 5 s after the sign-out).

const alice = USERS.alice;
let appC: AppServer | undefined;

test.afterEach(async () => {
  await keycloakNetwork("pass");
  await appC?.stop();
  appC = undefined;
});

test("a sign-out Keycloak never saw is finished by another instance after the first one stopped", async ({ page }) => {
  const redisUrl = process.env[KC_STACK.redisUrlEnv];
  expect(redisUrl, "the global setup exports the tier's Redis").toBeTruthy();
  await admin.logoutUser(alice.username);
  appC = await startApp({
    url: KC_STACK.appC,
    distDir: KC_STACK.distDir,
    env: appEnv({
      publicUrl: KC_STACK.appA,
      issuer: KC_STACK.issuer,
      secret: KC_STACK.nextAuthSecret,
      redisUrl,
      logoutTimeoutMs: KC_STACK.logoutTimeoutMs,
      refreshWaitMs: KC_STACK.refreshWaitMs,
    }),
  });

  await signIn(page, alice);
  expect(await admin.sessionsOf(alice.username)).toHaveLength(1);

  await test.step("sign out on instance C while Keycloak is unreachable: signed out of the app, not of Keycloak", async () => {
    await page.goto(`${KC_STACK.appC}/`);
    await keycloakNetwork("refuse");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    expect(await admin.sessionsOf(alice.username)).toHaveLength(1);
  });

  await test.step("C stops, Keycloak comes back: A or B ends the Keycloak session", async () => {
    await appC!.stop();
    appC = undefined;
    await keycloakNetwork("pass");
    await expect.poll(async () => (await admin.sessionsOf(alice.username)).length, { timeout: 20_000, intervals: [500] }).toBe(0);
  });
});
