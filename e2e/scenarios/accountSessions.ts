import { expect, test } from "@playwright/test";
import { getSession, signIn as signInOverHttp } from "../../testing/nextAuthClient.mjs";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";

/** What the "Your sessions" scenarios need of a stack. */
export interface AccountSessionsStack {
  /** The public URL (instance A) and a second instance sharing the store. */
  appA: string;
  appB: string;
  /** How many live sessions the identity provider has for the user. */
  countSessions(username: string): Promise<number>;
  /** Ends every session of the user at the identity provider (a clean start). */
  endAll(username: string): Promise<void>;
  /** Makes the identity provider answer 503 everywhere until `heal`. */
  breakProvider(): Promise<void>;
  heal(): Promise<void>;
}

const alice = USERS.alice;

/**
 * "I signed in on a shared computer: how do I end that session from my phone?" The other computer is an HTTP client
 * with its own cookies, signed in through instance B; the phone is the browser. Written once, run on the built-in
 * provider (e2e/accountSessions.spec.ts) and on a real Keycloak (e2e/keycloak/accountSessions.spec.ts).
 */
export function accountSessionsScenarios(stack: AccountSessionsStack): void {
  test.describe("Your sessions and Sign out everywhere", () => {
    test.beforeEach(async () => {
      // Sessions other specs left behind would be listed too: start from none.
      await stack.endAll(alice.username);
    });

    test("Your sessions lists the other computer as a card, and Sign out this device ends it there", async ({ page }) => {
      const elsewhere = await signInOverHttp({ appUrl: stack.appB, publicUrl: stack.appA, user: alice });
      await signIn(page, alice);
      await page.goto("/profile");

      const list = page.getByRole("list", { name: "Your Keycloak sessions" });
      await expect(list.getByRole("listitem").filter({ hasText: "This device" })).toHaveCount(1);
      const others = list.getByRole("listitem").filter({ hasNotText: "This device" });
      await expect(others).toHaveCount(1);
      await expect(others.first()).toContainText("Next.js app");
      expect(await stack.countSessions(alice.username)).toBe(2);

      await others.first().getByRole("button", { name: /^Sign out / }).click();
      await expect(others).toHaveCount(0);
      await expect.poll(() => stack.countSessions(alice.username)).toBe(1);
      // Keycloak's back-channel logout reached the app: the other computer is signed out on every instance.
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
        expect(await stack.countSessions(alice.username)).toBe(2);
      });

      await page.getByRole("button", { name: "Sign out everywhere" }).click();
      await page.getByRole("button", { name: "Yes, sign out everywhere" }).click();
      await expect(page).toHaveURL(new RegExp(`^${stack.appA}/\\?signedOutEverywhere=2$`));
      await expect(page.getByRole("status")).toContainText("You signed out everywhere: all 2 of your sessions ended");
      expect(await stack.countSessions(alice.username)).toBe(0);
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
      const before = await stack.countSessions(alice.username);
      await stack.breakProvider();
      try {
        await page.getByRole("button", { name: "Sign out everywhere" }).click();
        await page.getByRole("button", { name: "Yes, sign out everywhere" }).click();
        // Next's route announcer is an empty alert too: name the message.
        await expect(page.getByRole("alert").filter({ hasText: "Keycloak could not be reached" })).toBeVisible();
      } finally {
        await stack.heal();
      }
      expect(await stack.countSessions(alice.username)).toBe(before);
      await page.goto("/profile");
      await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    });
  });
}
