import type { Auth } from "@/lib/auth";
import { apiRoute } from "@/lib/http/apiRoute";
import { withSignedIn } from "@/lib/nextauth/signedIn";
import { getAuth } from "@/lib/processAuth";

/** Recipe: a server-side call to a Keycloak-protected resource (the user's userinfo) with the access token. */
export function createUserinfoRoute(auth: () => Auth) {
  return apiRoute("USERINFO_FAILED", {
    GET: withSignedIn(
      () => auth().sessions,
      async (_req, res, { accessToken }) => {
        const { sub, name, email, preferred_username } = await auth().keycloak.userinfo(accessToken);
        res.status(200).json({ sub, name, email, preferred_username });
      },
    ),
  });
}

export default createUserinfoRoute(getAuth);
