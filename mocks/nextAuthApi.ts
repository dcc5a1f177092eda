import { http, HttpResponse } from "msw";
import type { Session } from "next-auth";

/** Everything the browser sent to next-auth's routes during a test. */
export interface NextAuthTraffic {
  signOutBodies: URLSearchParams[];
  signInBodies: URLSearchParams[];
}

/** next-auth's REST API as the browser sees it, answering with `session` (null: signed out). */
export function nextAuthApiHandlers(session: Session | null, traffic: NextAuthTraffic) {
  return [
    http.get("*/api/auth/session", () => HttpResponse.json(session ?? {})),
    http.get("*/api/auth/csrf", () => HttpResponse.json({ csrfToken: "csrf-test-token" })),
    http.get("*/api/auth/providers", () =>
      HttpResponse.json({
        keycloak: {
          id: "keycloak",
          name: "Keycloak",
          type: "oauth",
          signinUrl: "http://localhost/api/auth/signin/keycloak",
          callbackUrl: "http://localhost/api/auth/callback/keycloak",
        },
      }),
    ),
    http.post("*/api/auth/signout", async ({ request }) => {
      traffic.signOutBodies.push(new URLSearchParams(await request.text()));
      return HttpResponse.json({ url: "http://localhost/" });
    }),
    http.post("*/api/auth/signin/keycloak", async ({ request }) => {
      traffic.signInBodies.push(new URLSearchParams(await request.text()));
      return HttpResponse.json({ url: "http://localhost/#signed-in" });
    }),
    http.post("*/api/auth/_log", () => new HttpResponse(null, { status: 200 })),
  ];
}
