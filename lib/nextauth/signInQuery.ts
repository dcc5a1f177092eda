import type { NextApiRequest } from "next";

/**
 * next-auth merges a sign-in request's query into the authorization parameters it sends to Keycloak
 * (core/lib/oauth/authorization-url.js), so `POST /api/auth/signin/keycloak?prompt=none` would skip the password the
 * re-authentication mark asks for. A sign-in may set only `max_age` (a whole number of seconds), which can make
 * Keycloak ask for the password, never spare it; every other parameter is the server's to choose.
 */
export function allowedSignInQuery(query: NextApiRequest["query"]): NextApiRequest["query"] {
  const allowed: NextApiRequest["query"] = { nextauth: query.nextauth };
  const maxAge = query.max_age;
  if (typeof maxAge === "string" && /^\d{1,6}$/.test(maxAge)) allowed.max_age = maxAge;
  return allowed;
}
