import { defineConfig } from "@playwright/test";
import { KC_STACK } from "./e2e/keycloak/stack";

// Debian's Chromium with the main suite's flags (playwright.config.ts); no browser download is needed or attempted.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The Keycloak tier: the specs in e2e/keycloak against a real Keycloak (KEYCLOAK_VERSION, default the pinned one). */
export default defineConfig({
  testDir: "./e2e/keycloak",
  globalSetup: "./e2e/keycloak/globalSetup.ts",
  outputDir: "test-results/keycloak",
  fullyParallel: false,
  // One Keycloak, one fault proxy and realm settings changed per test: one worker keeps the specs independent.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  // The toolkit's ES modules load as they are (Node's require of ESM): compiled to CommonJS, one that reads
  // import.meta would be re-read by Node as an ES module without its exports.
  build: { external: ["**/testing/*.mjs"] },
  use: {
    baseURL: KC_STACK.appA,
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
