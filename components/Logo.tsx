/** The app's mark: a key, as in public/favicon.svg. Decorative: the app's name always stands beside it. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#1d4ed8" />
      <circle cx="12" cy="16" r="5.5" fill="none" stroke="#fff" strokeWidth="3" />
      <path d="M17.5 16H27M23.5 16v5M27 16v4" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}
