import type { Auth } from "@/lib/auth";
import { apiRoute } from "@/lib/http/apiRoute";
import { withSignedIn } from "@/lib/nextauth/signedIn";
import { getAuth } from "@/lib/processAuth";

/** GET: the signed-in user's Keycloak sessions ("Your sessions" on /profile), from Keycloak's Account REST API. */
export function createAccountSessionsRoute(auth: () => Auth) {
  return apiRoute("ACCOUNT_SESSIONS_FAILED", {
    GET: withSignedIn(
      () => auth().sessions,
      async (_req, res, { accessToken }) => {
        res.status(200).json({ sessions: await auth().keycloak.accountSessions(accessToken) });
      },
    ),
  });
}

export default createAccountSessionsRoute(getAuth);
