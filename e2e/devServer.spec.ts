import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { appEnv } from "../testing/appServer.mjs";
import { logProblems } from "../testing/logProblems.mjs";
import { startChild, waitForHttp, type ChildHandle } from "../testing/process.mjs";
import { USERS } from "../testing/users.mjs";
import { submitLoginForm, watchConsole } from "./helpers";
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

/** Local addresses of the TCP sockets listening on `port` (IPv4 and IPv6), read from /proc: no packet is sent. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // Columns: sl, local address (hex ip:port), remote address, state (0A = LISTEN).
      .filter((cols) => cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A")
      .map((cols) => cols[1].split(":")[0]),
  );
}

test("npm run dev listens on loopback only, so Next's dev endpoints do not answer the network", () => {
  const addresses = listeningAddresses(Number(new URL(DEV_URL).port));
  expect(addresses.length).toBeGreaterThan(0);
  // 127.0.0.1 in /proc's little-endian hex; an all-interfaces bind would show 00000000 (or :: in tcp6).
  expect(addresses).toEqual(addresses.map(() => "0100007F"));
});

test("npm run dev starts the built-in provider, and sign-in and sign-out work in development mode", async ({ page }) => {
  test.setTimeout(120_000);
  expect(dev.output()).toContain("starting the built-in identity provider");
  const watch = watchConsole(page);

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
    // The page is whole once "Your sessions" has loaded (its route compiles on first use in development); a sign-out
    // before that would answer its request with 401, which the browser logs.
    await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible({ timeout: 60_000 });
  });

  await test.step("sign out; Sign in shows the login form again", async () => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible({ timeout: 60_000 });
    await page.goto(`${DEV_URL}/`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#username")).toBeVisible();
  });

  // Development mode's own noise: the dev middleware manifest refused under nosniff, a missing favicon, HMR errors.
  watch.expectNone();
  expect(dev.output()).not.toContain("Error serializing");
  expect(logProblems({ "npm run dev": dev.output() })).toEqual([]);
});

test("npm run dev starts quietly: no runtime warning from oidc-provider, React or the provider's body parsing", () => {
  // Node 20 is past its end of life; on it oidc-provider and React warn by design (package.json engines: >=22.12).
  test.skip(Number(process.versions.node.split(".")[0]) < 22, `Node ${process.version} is older than the supported 22.12`);
  for (const noise of ["Unsupported runtime", "This could be a security issue", "already parsed request body", "ENV_INVALID", "WARNING"]) {
    expect(dev.output(), noise).not.toContain(noise);
  }
});
