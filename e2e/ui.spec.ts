import { expect, test, type APIResponse, type Response } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { idp, signIn, submitLoginForm } from "./helpers";
import { STACK } from "./stack";

test.afterEach(async () => {
  await idp.clearFaults();
});

const SECURITY_HEADERS = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

function expectSecurityHeaders(response: APIResponse | Response | null, label: string): void {
  const headers = response?.headers() ?? {};
  expect.soft(headers, label).toMatchObject(SECURITY_HEADERS);
  expect.soft(headers["content-security-policy"], label).toContain("frame-ancestors 'none'");
  expect.soft(headers["referrer-policy"], label).toMatch(/^(strict-origin-when-cross-origin|no-referrer)$/);
}

test("a destination given to next-auth's sign-in route survives sign-in (GET /api/auth/signin?callbackUrl=/profile)", async ({ page }) => {
  await page.goto("/api/auth/signin?callbackUrl=/profile");
  // next-auth hands its sign-in page an absolute URL of the app's own origin.
  await expect(page).toHaveURL(/\/auth\/signin\?callbackUrl=http%3A%2F%2Flocalhost%3A3101%2Fprofile/);
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await submitLoginForm(page, USERS.alice);
  await expect(page).toHaveURL(`${STACK.appA}/profile`);
  await expect(page.getByRole("heading", { level: 1, name: "Profile" })).toBeVisible();
});

// The built-in provider's own headers are its unit test's concern (__tests__/idp/http.test.ts).
test("app pages and API routes carry the security headers", async ({ request }) => {
  for (const path of ["/", "/auth/signin", "/profile", "/api/auth/session", "/api/health", "/api/auth/events"]) {
    expectSecurityHeaders(await request.get(path, { maxRedirects: 0 }), path);
  }
});

test("while Keycloak's logout hangs, Sign out says Signing out… and cannot be clicked again, then the user is signed out", async ({ page }) => {
  await signIn(page, USERS.alice);
  await idp.setFault("logout", "hang");
  await page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true }).click();
  const busy = page.getByRole("banner").getByRole("button", { name: "Signing out…" });
  await expect(busy).toBeDisabled();
  await expect(busy).toHaveAttribute("aria-busy", "true");
  await expect(page.getByText("You are signed out.")).toBeVisible({ timeout: STACK.logoutTimeoutMs + 5000 });
});

test("next-auth's sign-out page is the app's own, also after a failed CSRF check", async ({ page }) => {
  await signIn(page, USERS.alice);
  for (const path of ["/api/auth/signout", "/api/auth/signout?csrf=true"]) {
    await test.step(path, async () => {
      await page.goto(path);
      await expect(page).toHaveURL(`${STACK.appA}/auth/signout`);
      await expect(page.getByRole("heading", { level: 1, name: "Sign out" })).toBeVisible();
      await expect(page.getByRole("main").getByRole("button", { name: "Sign out of this app and Keycloak" })).toBeEnabled();
    });
  }
  await page.getByRole("main").getByRole("button", { name: "Sign out of this app and Keycloak" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
});

test("the first Tab reaches Skip to content, which moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" })).toHaveAttribute("aria-current", "page");
});

test("the benchmark's unguarded twin of /profile is not served by a production app (BENCH_PAGES unset)", async ({ request }) => {
  const response = await request.get("/bench/profile-unguarded");
  expect(response.status()).toBe(404);
  expect(await response.text()).not.toContain("Benchmark placeholder");
});
