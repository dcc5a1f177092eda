import { expect, request, type Page } from "@playwright/test";
import { STACK, USERS } from "./stack";

type User = (typeof USERS)[keyof typeof USERS];

/** Fills Keycloak's login form (field ids username/password, submit kc-login). */
export async function submitLoginForm(page: Page, user: User): Promise<void> {
  await page.locator("#username").fill(user.username);
  await page.locator("#password").fill(user.password);
  await page.locator("#kc-login").click();
}

/** From the home page: "Sign in", the Keycloak login form, and back home signed in. */
export async function signIn(page: Page, user: User): Promise<void> {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#username")).toBeVisible();
  await submitLoginForm(page, user);
  await expect(page.getByText(user.email)).toBeVisible();
}

/** The identity provider's dev control API (test setup only; the app is driven through the browser). */
export const idp = {
  async setFault(endpoint: "logout" | "token" | "auth", mode: "hang" | "status503" | "reset" | "slow", ms?: number) {
    const context = await request.newContext({ baseURL: STACK.idpOrigin });
    const response = await context.post("/_idp/faults", { data: { endpoint, mode, ms } });
    expect(response.ok()).toBe(true);
    await context.dispose();
  },
  async clearFaults() {
    const context = await request.newContext({ baseURL: STACK.idpOrigin });
    await context.delete("/_idp/faults");
    await context.dispose();
  },
  async stats(): Promise<{ refreshGrants: number; codeGrants: number; logouts: { hinted: number } }> {
    const context = await request.newContext({ baseURL: STACK.idpOrigin });
    const body = await (await context.get("/_idp/stats")).json();
    await context.dispose();
    return body;
  },
  async sessionsOf(username: string): Promise<number> {
    const context = await request.newContext({ baseURL: STACK.idpOrigin });
    const sessions = (await (await context.get("/_idp/sessions")).json()) as { username: string }[];
    await context.dispose();
    return sessions.filter((s) => s.username === username).length;
  },
  /** Keycloak's admin "logout user": ends the user's sessions and sends back-channel logout. */
  async logoutUser(username: string) {
    const context = await request.newContext({ baseURL: STACK.idpOrigin });
    const response = await context.post(`/_idp/users/${username}/logout`);
    expect(response.ok()).toBe(true);
    await context.dispose();
  },
};
