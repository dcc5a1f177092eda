const { PHASE_DEVELOPMENT_SERVER } = require("next/constants");

/**
 * Security headers on every response. HSTS is not here: it belongs to the TLS-terminating proxy in front of the app
 * (a plain-http `next start` must not send it).
 */
const SECURITY_HEADERS = [
  // No framing anywhere (clickjacking of the sign-out or admin pages); the CSP form is the modern one.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/** No MIME sniffing: a response is only what its Content-Type says. */
const NOSNIFF = { key: "X-Content-Type-Options", value: "nosniff" };

/**
 * Every path except the one `next dev` serves as JSON to a <script> tag (vercel/next.js#92180): with nosniff the
 * browser refuses it and logs an error on every dev page. The path exists only in development.
 */
const NOSNIFF_PATHS = "/:path((?!_next/static/development/_clientMiddlewareManifest\\.js$).*)";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // No floating Next.js badge over the app in development (it sits on the content in screenshots at 390 px).
  devIndicators: false,
  // Lets the benchmark build beside e2e without replacing the build a running server uses.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `next build` type-checks the app only; tests and tooling are checked by `npm run typecheck`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: NOSNIFF_PATHS, headers: [NOSNIFF] },
    ];
  },
};

/**
 * Production only: routes load on their first request instead of at start. Preloaded, a route module is first
 * required from another parent than the one Next requires it from per request, so Node's require cache shortcut never
 * applies and every API request resolves its file anew (package.json reads included): 10-20 µs of CPU per request on
 * /api/auth/session (bench/RESULTS.md, issue 20). The price: each route's first request loads it. `next dev` never
 * preloads, and would list the setting among its experiments at every start.
 */
const PRODUCTION_ONLY = { experimental: { preloadEntriesOnStart: false } };

module.exports = (phase) => (phase === PHASE_DEVELOPMENT_SERVER ? nextConfig : { ...nextConfig, ...PRODUCTION_ONLY });
