import { expect, test } from "@playwright/test";
import type { AppServer } from "../../testing/appServer.mjs";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import type { StackDriver } from "./driver";

const alice = USERS.alice;

/**
 * The question users ask: "Keycloak was down when I signed out, then the server restarted: am I still signed in at
 * Keycloak?" A further instance serves the sign-out while Keycloak's logout fails, then stops for good; instances A
 * and B, sharing its Redis, end the Keycloak session once Keycloak is back (first retry 5 s after the sign-out).
 */
export function durableLogoutScenarios(stack: StackDriver): void {
  let extra: AppServer | undefined;
  test.afterEach(async () => {
    await stack.heal();
    await extra?.stop();
    extra = undefined;
  });

  test("a sign-out Keycloak never saw is finished by another instance after the first one stopped", async ({ page }) => {
    await stack.adminLogout(alice.username);
    extra = await stack.startInstance();
    await signIn(page, alice);
    const [session] = await stack.sessionIds(alice.username);
    expect(session).toBeTruthy();

    await test.step("sign out on the further instance while Keycloak's logout fails: signed out of the app, not of Keycloak", async () => {
      await page.goto(`${extra!.url}/`);
      await stack.breakLogout();
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await expect(page.getByText("You are signed out.")).toBeVisible();
      expect(await stack.sessionIds(alice.username)).toContain(session);
    });

    await test.step("that instance stops, Keycloak heals: A or B ends the Keycloak session within the retry schedule", async () => {
      await extra!.stop();
      extra = undefined;
      await stack.heal();
      await expect.poll(() => stack.sessionIds(alice.username), { timeout: 20_000, intervals: [500] }).not.toContain(session);
    });
  });
}
