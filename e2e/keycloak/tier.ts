// What the Keycloak tier's specs use besides the browser: Keycloak's admin API, the fault proxy's switch,
// the app instances' logs, and the session as another copy of the browser's cookie sees it.
import { existsSync, readFileSync } from "node:fs";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { setFaultMode, type FaultMode } from "../../testing/faultProxy.mjs";
import { keycloakAdmin } from "../../testing/keycloakAdmin.mjs";
import type { TestUser } from "../../testing/users.mjs";
import { appLogFile, KC_STACK } from "./stack";

/** Keycloak's admin REST API for the app's realm, straight to Keycloak (past the proxy). */
export const admin = keycloakAdmin({
  origin: KC_STACK.keycloakAdminOrigin,
  realm: KC_STACK.realm,
  username: KC_STACK.keycloakAdmin.username,
  password: KC_STACK.keycloakAdmin.password,
});

/** Puts a network fault between the app (and the browser) and Keycloak; "pass" ends it. */
export async function keycloakNetwork(mode: FaultMode): Promise<void> {
  await setFaultMode(KC_STACK.proxyControlUrl, mode);
}

/** How many lines with log code `code` both app instances have written so far. */
export function appLogCount(code: string): number {
  const dir = process.env[KC_STACK.logDirEnv];
  if (!dir) throw new Error(`${KC_STACK.logDirEnv} is not set: run the specs through playwright.keycloak.config.ts`);
  const pattern = new RegExp(`^\\[auth\\] \\w+ ${code}\\b`);
  let count = 0;
  for (const name of ["a", "b"] as const) {
    const file = appLogFile(dir, name);
    if (!existsSync(file)) continue;
    count += readFileSync(file, "utf8").split("\n").filter((line) => pattern.test(line)).length;
  }
  return count;
}

/** The browser's cookies for the app, as one Cookie header: a copy an attacker or a second tab could replay. */
export async function appCookieHeader(context: BrowserContext): Promise<string> {
  const cookies = await context.cookies(KC_STACK.appA);
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** /api/auth/session on `app` with the given Cookie header, without storing what it sets. */
export async function sessionWithCookie(app: string, cookieHeader: string): Promise<{ user?: { email?: string }; error?: string }> {
  const response = await fetch(`${app}/api/auth/session`, { headers: { cookie: cookieHeader } });
  return response.json();
}

/** Reads the realm settings named in `keys` now; the returned function puts them back. */
export async function rememberRealmSettings(keys: string[]): Promise<() => Promise<void>> {
  const realm = await admin.realmSettings();
  const saved = Object.fromEntries(keys.map((key) => [key, realm[key]]));
  const events = await admin.eventsConfig();
  return async () => {
    await admin.updateRealm(saved);
    await admin.setEventsConfig({ eventsEnabled: events.eventsEnabled, enabledEventTypes: events.enabledEventTypes });
  };
}

/**
 * Answers Keycloak's password prompt: its login form (#username), or the re-authentication form it shows instead
 * when prompt=login meets a live SSO session (the user fixed in #kc-attempted-username, only the password asked).
 */
export async function answerLoginForm(page: Page, user: TestUser): Promise<void> {
  await expect(page.locator("#password")).toBeVisible();
  if (await page.locator("#username").isVisible()) await page.locator("#username").fill(user.username);
  await page.locator("#password").fill(user.password);
  await page.locator("#kc-login").click();
}
