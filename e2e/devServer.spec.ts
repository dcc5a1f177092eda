import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { submitLoginForm } from "./helpers";
import { STACK, USERS } from "./stack";

// The README's run command, `npm run dev` (scripts/dev.mjs), for real: nothing answers at the issuer, so it
// starts the built-in provider there, then `next dev`. Its own ports and build directory keep it apart from
// the production stack the other specs use.
const DEV_URL = STACK.devApp;
const DEV_ISSUER = `http://localhost:${STACK.devIdpPort}/realms/nextjs`;

let dev: ChildProcess;
let output = "";
test.beforeAll(async () => {
  test.setTimeout(120_000);
  dev = spawn(process.execPath, [path.resolve(__dirname, "..", "scripts", "dev.mjs"), "-p", new URL(DEV_URL).port], {
    cwd: path.resolve(__dirname, ".."),
    env: {
      ...process.env,
      NEXT_DIST_DIR: ".next-dev",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: DEV_URL,
      NEXTAUTH_SECRET: STACK.nextAuthSecret,
      KEYCLOAK_ISSUER: DEV_ISSUER,
      KEYCLOAK_CLIENT_ID: "nextjs-app",
      KEYCLOAK_CLIENT_SECRET: "nextjs-app-secret",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect
    .poll(async () => (await fetch(`${DEV_URL}/api/health`).catch(() => null))?.status, { timeout: 90_000, intervals: [500] })
    .toBe(200);
});
test.afterAll(async () => {
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  dev.kill("SIGTERM");
  await exited;
});

test("npm run dev starts the built-in provider, and sign-in and sign-out work in development mode", async ({ page }) => {
  test.setTimeout(120_000);
  expect(output).toContain(`starting the built-in identity provider`);

  await test.step("sign in", async () => {
    await page.goto(`${DEV_URL}/`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await submitLoginForm(page, USERS.alice);
    await expect(page.getByText(USERS.alice.email)).toBeVisible({ timeout: 60_000 });
  });

  await test.step("a protected page renders on the server", async () => {
    await page.goto(`${DEV_URL}/profile`);
    await expect(page.getByText("user, viewer")).toBeVisible({ timeout: 60_000 });
  });

  await test.step("sign out; Sign in shows the login form again", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/auth\/signin/, { timeout: 60_000 });
    await page.goto(`${DEV_URL}/`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#username")).toBeVisible();
  });

  expect(output).not.toMatch(/Error serializing|Unhandled|⨯/);
});
