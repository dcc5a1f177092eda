/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lets the benchmark build beside e2e without replacing the build a running server uses.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

module.exports = nextConfig;
