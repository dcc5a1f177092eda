// A signed-in app session over plain HTTP, for specs that need many sessions or raw requests.
import { CookieJar, followToFormOrCode, submitLogin } from "../testing/oidcClient";
import { STACK, USERS } from "./stack";

type User = (typeof USERS)[keyof typeof USERS];

const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** One browser's worth of state: its cookie jar and the CSRF token bound to its csrf cookie. */
export interface HttpSession {
  jar: CookieJar;
  csrfToken: string;
  /** Where next-auth's callback sent the browser after sign-in (the Location header). */
  landedAt: string;
}

/** The value of a cookie in the jar, or undefined. */
export function cookieValue(jar: CookieJar, name: string): string | undefined {
  for (const pair of jar.header().split("; ")) {
    const i = pair.indexOf("=");
    if (i > 0 && pair.slice(0, i) === name) return pair.slice(i + 1);
  }
  return undefined;
}

/** GET /api/auth/csrf: sets the csrf cookie in the jar and returns the matching token. */
export async function csrfTokenOf(jar: CookieJar, app: string = STACK.appA): Promise<string> {
  const response = await jar.fetch(`${app}/api/auth/csrf`);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/**
 * Signs in as a browser would, without one: csrf token, next-auth's sign-in POST, the IdP's
 * authorization URL and login form, then the callback that sets `next-auth.session-token`.
 */
export async function signInOverHttp(
  user: User = USERS.alice,
  options: { callbackUrl?: string; app?: string; jar?: CookieJar } = {},
): Promise<HttpSession> {
  const app = options.app ?? STACK.appA;
  const jar = options.jar ?? new CookieJar();
  const csrfToken = await csrfTokenOf(jar, app);

  const start = await jar.fetch(`${app}/api/auth/signin/keycloak`, {
    method: "POST",
    headers: FORM,
    body: new URLSearchParams({ csrfToken, callbackUrl: options.callbackUrl ?? "/", json: "true" }),
  });
  const { url } = (await start.json()) as { url: string };
  if (!url.startsWith(STACK.issuer)) throw new Error(`sign-in did not lead to the IdP: ${url}`);

  const redirectUri = `${STACK.appA}/api/auth/callback/keycloak`;
  let result = await followToFormOrCode(jar, url, redirectUri);
  if (result.kind === "form") result = await submitLogin(jar, result.action, user.username, user.password, redirectUri);
  if (result.kind !== "code") throw new Error(`login form was not accepted (status ${result.status})`);

  // The IdP redirects to the public URL (app A); the callback is served by the app asked for.
  const callback = await jar.fetch(result.location.replace(STACK.appA, app));
  const landedAt = callback.headers.get("location") ?? "";
  if (callback.status !== 302 || !cookieValue(jar, "next-auth.session-token")) {
    throw new Error(`callback did not sign in (status ${callback.status}, location ${landedAt})`);
  }
  return { jar, csrfToken, landedAt };
}

/** GET /api/auth/session with the session's cookies. */
export async function sessionOverHttp(session: HttpSession, app: string = STACK.appA): Promise<Record<string, unknown>> {
  return (await session.jar.fetch(`${app}/api/auth/session`)).json();
}

/** POST /api/auth/signout as next-auth's signOut() does; `csrfToken: null` leaves the field out. */
export async function signOutOverHttp(
  session: HttpSession,
  options: { csrfToken?: string | null; callbackUrl?: string; app?: string } = {},
): Promise<{ status: number; ms: number; url?: string }> {
  const started = Date.now();
  const body = new URLSearchParams({ callbackUrl: options.callbackUrl ?? "/", json: "true" });
  const csrfToken = options.csrfToken === undefined ? session.csrfToken : options.csrfToken;
  if (csrfToken !== null) body.set("csrfToken", csrfToken);
  const response = await session.jar.fetch(`${options.app ?? STACK.appA}/api/auth/signout`, { method: "POST", headers: FORM, body });
  const text = await response.text();
  let url: string | undefined;
  try {
    url = (JSON.parse(text) as { url?: string }).url;
  } catch {
    url = response.headers.get("location") ?? undefined;
  }
  return { status: response.status, ms: Date.now() - started, url };
}

/** Runs `task` for 0..count-1 with at most `concurrency` at a time; results in order. */
export async function inPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}
