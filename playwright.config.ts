import { defineConfig } from "@playwright/test";
import { playwrightDefaults } from "./e2e/playwrightDefaults";
import { STACK } from "./e2e/stack";

/** The fast tier: the specs in e2e/ against the built-in identity provider (e2e/globalSetup.ts). */
export default defineConfig({
  ...playwrightDefaults,
  testDir: "./e2e",
  // The Keycloak tier has its own stack and config (playwright.keycloak.config.ts).
  testIgnore: "**/e2e/keycloak/**",
  globalSetup: "./e2e/globalSetup.ts",
  use: { ...playwrightDefaults.use, baseURL: STACK.appA },
});
