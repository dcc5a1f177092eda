import { defineConfig } from "@playwright/test";
import { KC_STACK } from "./e2e/keycloak/stack";
import { playwrightDefaults } from "./e2e/playwrightDefaults";

/** The Keycloak tier: the specs in e2e/keycloak against a real Keycloak (KEYCLOAK_VERSION, default the pinned one). */
export default defineConfig({
  ...playwrightDefaults,
  testDir: "./e2e/keycloak",
  globalSetup: "./e2e/keycloak/globalSetup.ts",
  outputDir: "test-results/keycloak",
  use: { ...playwrightDefaults.use, baseURL: KC_STACK.appA },
});
