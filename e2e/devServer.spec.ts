import path from "node:path";
import { expect, test } from "@playwright/test";
import { appEnv } from "../testing/appServer.mjs";
import { logProblems } from "../testing/logProblems.mjs";
import { startChild, waitForHttp, type ChildHandle } from "../testing/process.mjs";
import { USERS } from "../testing/users.mjs";
import { submitLoginForm } from "./helpers";
import { STACK } from "./stack";

// The README's run command, `npm run dev` (scripts/dev.mjs), for real: nothing answers at the issuer, so it
// starts the built-in provider there, then `next dev`. Its own ports and build directory keep it apart from
// the production stack the other specs use.
const DEV_URL = STACK.devApp;
const DEV_ISSUER = `http://localhost:${STACK.devIdpPort}/realms/nextjs`;
const ROOT = path.resolve(__dirname, "..");

let dev: ChildHandle;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  dev = startChild("npm run dev", process.execPath, [path.join(ROOT, "scripts", "dev.mjs"), "-p", new URL(DEV_URL).port], {
    cwd: ROOT,
    env: {
      NEXT_DIST_DIR: ".next-dev",
      NEXT_TELEMETRY_DISABLED: "1",
      ...appEnv({ publicUrl: DEV_URL, issuer: DEV_ISSUER, secret: STACK.nextAuthSecret }),
    },
  });
  await waitForHttp(`${DEV_URL}/api/health`, dev, 90_000);
});
test.afterAll(async () => {
  await dev?.stop();
});

test("npm run dev starts the built-in provider, and sign-in and sign-out work in development mode", async ({ page }) => {
  test.setTimeout(120_000);
  expect(dev.output()).toContain("starting the built-in identity provider");

  await test.step("sign in", async () => {
    await page.goto(`${DEV_URL}/`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await submitLoginForm(page, USERS.alice);
    await expect(page.getByText(USERS.alice.email)).toBeVisible({ timeout: 60_000 });
  });

  await test.step("a protected page renders on the server", async () => {
    await page.goto(`${DEV_URL}/profile`);
    await expect(page.getByText("user", { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText("viewer", { exact: true })).toBeVisible();
  });

  await test.step("sign out; Sign in shows the login form again", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible({ timeout: 60_000 });
    await page.goto(`${DEV_URL}/`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#username")).toBeVisible();
  });

  expect(dev.output()).not.toContain("Error serializing");
  expect(logProblems({ "npm run dev": dev.output() })).toEqual([]);
});
