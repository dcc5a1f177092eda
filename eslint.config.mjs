// ESLint 9 flat config: Next's recommended rules (core web vitals, React, hooks, a11y) and TypeScript's.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // Leading underscore marks a value that is deliberately unused (destructured away).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The layers of lib/ (README, "Code map"): each may use the ones below it, never the ones above.
    //   lib/store, lib/keycloak  ←  lib/session  ←  lib/nextauth  ←  lib/auth.ts (composition root)  ←  lib/processAuth.ts  ←  pages/
    // lib/config, lib/errors, lib/log, lib/http are shared by all; components/ run in the browser.
    files: ["**/*.{ts,tsx,mjs,js}"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            { target: "./lib/store", from: ["./lib/keycloak", "./lib/session", "./lib/nextauth", "./lib/auth.ts", "./lib/processAuth.ts", "./lib/keycloakLogout.ts"], message: "The store is a plain key-value store: it knows nothing of Keycloak or sessions." },
            { target: "./lib/keycloak", from: ["./lib/store", "./lib/session", "./lib/nextauth", "./lib/config", "./lib/auth.ts", "./lib/processAuth.ts"], message: "lib/keycloak talks to Keycloak only; it takes its configuration as parameters." },
            { target: "./lib/session", from: ["./lib/nextauth", "./lib/config", "./lib/auth.ts", "./lib/processAuth.ts"], message: "lib/session takes its dependencies as parameters; next-auth wiring lives in lib/nextauth." },
            { target: "./lib/nextauth", from: ["./lib/config", "./lib/auth.ts", "./lib/processAuth.ts"], message: "lib/nextauth takes its parts as parameters; lib/auth.ts (the composition root) wires them." },
            { target: ["./lib", "./components"], from: "./lib/processAuth.ts", message: "Only pages and API routes reach the process's one Auth (lib/processAuth.ts); everything else takes it as a parameter." },
            { target: "./lib", from: ["./pages", "./components", "./idp", "./testing", "./mocks", "./e2e", "./bench", "./scripts"], message: "The app's library never imports pages, components, dev tooling or tests." },
            { target: "./components", from: ["./lib/config", "./lib/nextauth", "./lib/session", "./lib/store", "./lib/keycloak", "./lib/auth.ts"], message: "Components run in the browser: no server modules." },
            { target: ["./pages", "./components"], from: ["./idp", "./testing", "./mocks", "./e2e", "./bench", "./scripts"], message: "The app never imports dev tooling or tests." },
            { target: "./pages", from: "./pages/api", message: "Pages import from lib/, never from an API route file." },
          ],
        },
      ],
    },
  },
  {
    // CommonJS config files that Next and Jest load with require().
    files: ["*.config.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", "test-results/**", "playwright-report/**", "bench/results/**", "next-env.d.ts"],
  },
];

export default config;
