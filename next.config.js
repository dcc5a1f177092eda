/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets the benchmark build beside e2e without replacing the build a running server uses.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `next build` type-checks the app only; tests and tooling are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

module.exports = nextConfig;
