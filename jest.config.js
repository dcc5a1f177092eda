// Unit tests: node environment by default (lib/, API routes, idp/); component tests opt into
// `@jest-environment jest-fixed-jsdom` in their docblock.
const nextJest = require("next/jest");

const createJestConfig = nextJest({ dir: "./" });

/** @type {import('jest').Config} */
const config = {
  testEnvironment: "node",
  setupFilesAfterEnv: ["<rootDir>/jest.setup.ts"],
  moduleNameMapper: { "^@/(.*)$": "<rootDir>/$1" },
  testPathIgnorePatterns: ["/node_modules/", "/e2e/", "/.next/"],
  testEnvironmentOptions: { customExportConditions: [""] },
};

module.exports = async () => {
  const resolved = await createJestConfig(config)();
  // msw 2 and jose 6 ship ESM-only dependencies that Jest must transform.
  resolved.transformIgnorePatterns = [
    "/node_modules/(?!(rettime|@open-draft/deferred-promise|until-async|jose)/)",
  ];
  return resolved;
};
