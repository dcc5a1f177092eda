import type { PlaywrightTestConfig } from "@playwright/test";

// What both Playwright configs (playwright.config.ts, playwright.keycloak.config.ts) share. Plain TypeScript:
// configs load before the toolkit (testing/*.mjs) can.

/** Debian's Chromium, driven by Playwright; no browser download is needed or attempted. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** One worker (each stack's provider faults and realm settings are global), no retries, Debian's Chromium. */
export const playwrightDefaults = {
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  // The toolkit (testing/*.mjs) is native ES modules: Node loads it as it is. Playwright's own transform would
  // turn it into CommonJS inside an .mjs file ("exports is not defined in ES module scope").
  build: { external: ["**/*.mjs"] },
  use: {
    trace: "off",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
} satisfies PlaywrightTestConfig;
