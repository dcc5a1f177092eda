import { expect, test } from "@playwright/test";
import { getSession, signIn as signInOverHttp } from "../../testing/nextAuthClient.mjs";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import type { StackDriver } from "./driver";

const alice = USERS.alice;

/**
 * "I signed in on a shared computer: how do I end that session from my phone?" The other computer is an HTTP client
 * with its own cookies, signed in through instance B; the phone is the browser. Written once, run on the built-in
 * provider (e2e/accountSessions.spec.ts) and on a real Keycloak (e2e/keycloak/accountSessions.spec.ts).
 */
export function accountSessionsScenarios(stack: StackDriver): void {
  test.describe("Your sessions and Sign out everywhere", () => {
    test.beforeEach(async () => {
      // Sessions other specs left behind would be listed too: start from none.
      await stack.adminLogout(alice.username);
    });

    test("Your sessions lists the other computer as a card, and Sign out this device ends it there", async ({ page }) => {
      const elsewhere = await signInOverHttp({ appUrl: stack.appB, publicUrl: stack.appA, user: alice });
      await signIn(page, alice);
      await page.goto("/profile");

      const list = page.getByRole("list", { name: "Your Keycloak sessions" });
      // The badge, not the "Sign out this device" buttons of the other cards.
      const thisDevice = page.getByText("This device", { exact: true });
      await expect(list.getByRole("listitem").filter({ has: thisDevice })).toHaveCount(1);
      const others = list.getByRole("listitem").filter({ hasNot: thisDevice });
      await expect(others).toHaveCount(1);
      await expect(others.first()).toContainText("Next.js app");
      expect((await stack.sessionIds(alice.username)).length).toBe(2);

      const backchannelBefore = await stack.backchannelAccepted();
      await others.first().getByRole("button", { name: /^Sign out / }).click();
      await expect(others).toHaveCount(0);
      await expect.poll(async () => (await stack.sessionIds(alice.username)).length).toBe(1);
      // Keycloak's back-channel logout reached the app: the other computer is signed out on every instance.
      await expect.poll(() => stack.backchannelAccepted()).toBe(backchannelBefore + 1);
      await expect.poll(async () => (await getSession(elsewhere)).user ?? null).toBeNull();
      expect((await getSession(elsewhere, stack.appA)).user).toBeUndefined();
    });

    test("Sign out everywhere, once confirmed, ends every session of the user, this one included, and says how many", async ({ page }) => {
      const elsewhere = await signInOverHttp({ appUrl: stack.appB, publicUrl: stack.appA, user: alice });
      await signIn(page, alice);
      await page.goto("/profile");
      await expect(page.getByRole("list", { name: "Your Keycloak sessions" }).getByRole("listitem")).toHaveCount(2);

      await test.step("the first click only asks; Cancel changes nothing", async () => {
        await page.getByRole("button", { name: "Sign out everywhere" }).click();
        await expect(page.getByRole("group")).toContainText("This ends all 2 of your sessions, this one included");
        await page.getByRole("button", { name: "Cancel" }).click();
        expect((await stack.sessionIds(alice.username)).length).toBe(2);
      });

      await page.getByRole("button", { name: "Sign out everywhere" }).click();
      await page.getByRole("button", { name: "Yes, sign out everywhere" }).click();
      await expect(page).toHaveURL(new RegExp(`^${stack.appA}/\\?signedOutEverywhere=2$`));
      await expect(page.getByRole("status")).toContainText("You signed out everywhere: all 2 of your sessions ended");
      expect((await stack.sessionIds(alice.username)).length).toBe(0);
      for (const app of [stack.appA, stack.appB]) expect((await getSession(elsewhere, app)).user).toBeUndefined();

      await test.step("the next Sign in asks for the password", async () => {
        await page.getByRole("banner").getByRole("button", { name: "Sign in" }).click();
        await expect(page.locator("#password")).toBeVisible();
      });
    });

    test("Keycloak down: Sign out everywhere says so and nobody is signed out", async ({ page }) => {
      await signIn(page, alice);
      await page.goto("/profile");
      await expect(page.getByRole("list", { name: "Your Keycloak sessions" })).toBeVisible();
      const before = (await stack.sessionIds(alice.username)).length;
      await stack.breakProvider();
      try {
        await page.getByRole("button", { name: "Sign out everywhere" }).click();
        await page.getByRole("button", { name: "Yes, sign out everywhere" }).click();
        // Next's route announcer is an empty alert too: name the message.
        await expect(page.getByRole("alert").filter({ hasText: "Keycloak could not be reached" })).toBeVisible();
      } finally {
        await stack.heal();
      }
      expect((await stack.sessionIds(alice.username)).length).toBe(before);
      await page.goto("/profile");
      await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    });
  });
}
