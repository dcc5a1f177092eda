import type { Auth } from "@/lib/auth";
import { apiRoute } from "@/lib/http/apiRoute";
import { withSignedIn } from "@/lib/nextauth/signedIn";
import { getAuth } from "@/lib/processAuth";

/**
 * DELETE: ends one of the user's other Keycloak sessions (Keycloak sends its back-channel logout). A DELETE from
 * another site needs a CORS preflight, which this route never grants, so a cookie alone cannot trigger it.
 */
export function createEndAccountSessionRoute(auth: () => Auth) {
  return apiRoute("ACCOUNT_SESSION_END_FAILED", {
    DELETE: withSignedIn(
      () => auth().sessions,
      async (req, res, { accessToken }) => {
        const id = typeof req.query.id === "string" ? req.query.id : "";
        await auth().keycloak.endAccountSession(accessToken, id);
        res.status(204).end();
      },
    ),
  });
}

export default createEndAccountSessionRoute(getAuth);
