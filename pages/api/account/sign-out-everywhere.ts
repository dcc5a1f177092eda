import type { Auth } from "@/lib/auth";
import { apiRoute, requireJson } from "@/lib/http/apiRoute";
import { withSignedIn } from "@/lib/nextauth/signedIn";
import { getAuth } from "@/lib/processAuth";

/**
 * POST (JSON): ends every Keycloak session of the user and every app session of the user on every instance, this
 * one included. A JSON body cannot be sent cross-site without a CORS preflight, which this route never grants.
 */
export function createSignOutEverywhereRoute(auth: () => Auth) {
  const signedIn = withSignedIn(
    () => auth().sessions,
    async (_req, res, { sub, accessToken }) => {
      await auth().signOutEverywhere({ sub, accessToken });
      res.status(204).end();
    },
  );
  return apiRoute("SIGN_OUT_EVERYWHERE_FAILED", {
    async POST(req, res) {
      requireJson(req);
      await signedIn(req, res);
    },
  });
}

export default createSignOutEverywhereRoute(getAuth);
