import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { USERS } from "../testing/users.mjs";
import { signIn } from "./helpers";

// WCAG 2.2 A/AA plus axe's best practices; a serious or critical finding fails, anything else is reported.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const FAILING_IMPACTS = new Set(["serious", "critical"]);
const SCHEMES = ["light", "dark"] as const;

/** One line per violation: rule id, impact, and the first few targets. */
function summary(violations: Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"]): string {
  return violations
    .map((v) => `${v.id} (${v.impact ?? "?"}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}${v.nodes.length > 3 ? ", …" : ""}`)
    .join("\n");
}

/** Runs axe on the page as it is now, in both colour schemes; fails on serious or critical violations. */
async function expectAccessible(page: Page, label: string): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    if (violations.length) {
      const text = summary(violations);
      console.log(`axe, ${label} (${colorScheme}):\n${text}`);
      test.info().annotations.push({ type: `axe ${label} (${colorScheme})`, description: text });
    }
    const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ""));
    expect(failing, `serious or critical axe violations on ${label} (${colorScheme}):\n${summary(failing)}`).toEqual([]);
  }
}

/** Opens `path` and waits until the session has been read (the header shows its final button). */
async function visit(page: Page, path: string, ready: RegExp = /Sign (in|out)/): Promise<void> {
  await page.goto(path);
  await expect(page.getByRole("banner").getByRole("button", { name: ready })).toBeEnabled();
}

test.describe("accessibility (axe-core): no serious or critical violations", () => {
  test("signed-out pages and the provider's login page", async ({ page }) => {
    for (const path of ["/", "/auth/signin", "/auth/signin?error=OAuthCallback", "/auth/signout"]) {
      await test.step(path, async () => {
        await visit(page, path);
        await expect(page.locator("html")).toHaveAttribute("lang", "en");
        await expectAccessible(page, path);
      });
    }
    await test.step("the provider's login page", async () => {
      await visit(page, "/");
      await page.getByRole("banner").getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("#username")).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await expectAccessible(page, "provider login page");
    });
    await test.step("the provider's login page with its error message", async () => {
      await page.locator("#username").fill(USERS.alice.username);
      await page.locator("#password").fill("wrong-password");
      await page.locator("#kc-login").click();
      await expect(page.getByRole("alert")).toBeVisible();
      await expectAccessible(page, "provider login page, wrong password");
    });
  });

  test("signed in as alice: home, profile, the 403 page and the sign-out page", async ({ page }) => {
    await signIn(page, USERS.alice);
    for (const path of ["/", "/profile", "/auth/signout"]) {
      await test.step(path, async () => {
        await visit(page, path);
        await expectAccessible(page, `${path} (alice)`);
      });
    }
    await test.step("/admin answers alice with the 403 page", async () => {
      await visit(page, "/admin");
      await expect(page.getByRole("heading", { level: 1, name: "403 Forbidden" })).toBeVisible();
      await expectAccessible(page, "/admin (alice, 403)");
    });
  });

  test("signed in as admin: the admin page", async ({ page }) => {
    await signIn(page, USERS.admin);
    await visit(page, "/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
    await expectAccessible(page, "/admin (admin)");
  });
});
