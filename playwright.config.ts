import { defineConfig } from "@playwright/test";
import { STACK } from "./e2e/stack";

// Debian's Chromium, driven by Playwright; no browser download is needed or attempted.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "./e2e",
  // The Keycloak tier has its own stack and config (playwright.keycloak.config.ts).
  testIgnore: "**/e2e/keycloak/**",
  globalSetup: "./e2e/globalSetup.ts",
  // The toolkit (testing/*.mjs) is native ES modules: Node loads it as it is. Playwright's own transform would
  // turn it into CommonJS inside an .mjs file ("exports is not defined in ES module scope").
  build: { external: ["**/*.mjs"] },
  fullyParallel: false,
  // The specs share one identity provider whose faults are global: one worker keeps them independent.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: STACK.appA,
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
});
