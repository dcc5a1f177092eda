// @ts-check
// `npm run screenshots`: the README's pictures, taken from the running app (`npm run dev` on the built-in provider)
// so they can be refreshed rather than drawn: each page at 1280x800 and 390x844, light and dark, into
// docs/screenshots/<page>-<width>-<scheme>.png. APP_URL (else NEXTAUTH_URL, else http://localhost:3000) says where the
// app runs; CHROMIUM_PATH which browser (Debian's /usr/bin/chromium by default).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";
import { chromium } from "@playwright/test";
import { USERS } from "../testing/users.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
nextEnv.loadEnvConfig(root, true, { info() {}, error: console.error });
const appUrl = (process.env.APP_URL || process.env.NEXTAUTH_URL || "http://localhost:3000").replace(/\/+$/, "");
// SCREENSHOTS_DIR: somewhere else, e.g. a "before" set taken from an older checkout's running app.
const outDir = process.env.SCREENSHOTS_DIR ?? `${root}docs/screenshots`;
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
const SCHEMES = /** @type {const} */ (["light", "dark"]);

/**
 * The pages, in the order of the README's walkthrough; `signedIn` ones are taken after signing in as alice.
 * @type {{ name: string, path?: string, signedIn: boolean, open?: (page: import("@playwright/test").Page) => Promise<void> }[]}
 */
const SHOTS = [
  { name: "home-signed-out", path: "/", signedIn: false },
  {
    name: "provider-login",
    signedIn: false,
    open: async (page) => {
      await page.goto(`${appUrl}/`);
      await page.getByRole("banner").getByRole("button", { name: "Sign in" }).click();
      await page.locator("#username").waitFor();
    },
  },
  { name: "home-signed-in", path: "/", signedIn: true },
  { name: "profile", path: "/profile", signedIn: true },
  { name: "sign-in-error", path: "/auth/signin?error=OAuthCallback", signedIn: false },
  { name: "not-found", path: "/no-such-page", signedIn: false },
];

/** @param {import("@playwright/test").Page} page */
async function signInAsAlice(page) {
  await page.goto(`${appUrl}/`);
  await page.getByRole("banner").getByRole("button", { name: "Sign in" }).click();
  await page.locator("#username").fill(USERS.alice.username);
  await page.locator("#password").fill(USERS.alice.password);
  await page.locator("#kc-login").click();
  await page.getByText(USERS.alice.email).waitFor();
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"],
  });
  try {
    for (const viewport of VIEWPORTS) {
      for (const colorScheme of SCHEMES) {
        for (const signedIn of [false, true]) {
          const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
          const page = await context.newPage();
          if (signedIn) await signInAsAlice(page);
          for (const shot of SHOTS.filter((s) => s.signedIn === signedIn)) {
            if (shot.open) await shot.open(page);
            else await page.goto(`${appUrl}${shot.path}`);
            await page.waitForLoadState("networkidle");
            const file = `${outDir}/${shot.name}-${viewport.width}-${colorScheme}.png`;
            await page.screenshot({ path: file, fullPage: viewport.width < 500 });
            console.log(`screenshots: ${file.slice(root.length)}`);
          }
          // Signing out ends the Keycloak session too: the next context's "Your sessions" shows only its own.
          if (signedIn) {
            await page.getByRole("banner").getByRole("button", { name: "Sign out", exact: true }).click();
            await page.getByText("You are signed out.").waitFor();
          }
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : error}\n  Is the app running at ${appUrl} (npm run dev)? APP_URL says where.`);
  process.exit(1);
});
