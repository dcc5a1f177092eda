import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import type { StackDriver } from "./driver";

const alice = USERS.alice;

/** The promise of this project, written once for every stack: a sign-out ends the identity provider's session too. */
export function signOutScenarios(stack: StackDriver): void {
  test.describe("sign-out", () => {
    test.beforeEach(async () => {
      // Counting alice's sessions needs a clean start.
      await stack.adminLogout(alice.username);
    });

    test("sign-out ends the Keycloak session, the back-channel call reaches the app, and Sign in asks for the password", async ({ page }) => {
      await test.step("signed in, the provider holds one session for alice", async () => {
        await signIn(page, alice);
        await expect(page.getByText(alice.name).first()).toBeVisible();
        expect(await stack.sessionIds(alice.username)).toHaveLength(1);
      });

      await test.step("the browser's session JSON and page carry no token", async () => {
        const body = await (await page.request.get("/api/auth/session")).text();
        expect(JSON.parse(body).user).toMatchObject({ name: alice.name, email: alice.email });
        expect(body).not.toMatch(/eyJ|token/i);
        expect(await page.content()).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
      });

      const backchannelBefore = await stack.backchannelAccepted();
      await test.step("sign out", async () => {
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
        await expect(page.getByText("You are signed out.")).toBeVisible();
      });

      await test.step("the provider has no session left for alice, and its back-channel logout was accepted", async () => {
        expect(await stack.sessionIds(alice.username)).toHaveLength(0);
        await expect.poll(() => stack.backchannelAccepted()).toBe(backchannelBefore + 1);
      });

      await test.step("Sign in shows the login form again", async () => {
        await page.getByRole("button", { name: "Sign in" }).click();
        await expect(page.locator("#username")).toBeVisible();
        await expect(page.locator("#kc-login")).toBeVisible();
      });
    });

    test("control: clearing only the app cookie leaves the provider's session alive, so sign-in is silent", async ({ page, context }) => {
      // What next-auth's signOut() alone does: it proves the scenario above can fail.
      await signIn(page, alice);
      await context.clearCookies({ name: /^next-auth\.session-token/ });
      await page.goto("/");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText(alice.email).first()).toBeVisible();
      await expect(page.locator("#username")).toHaveCount(0);
      expect(await stack.sessionIds(alice.username)).toHaveLength(1);
    });
  });
}
