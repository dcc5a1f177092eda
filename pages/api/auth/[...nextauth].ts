import type { NextApiRequest, NextApiResponse } from "next";
import type { Auth } from "@/lib/auth";
import { handleWithNextAuth } from "@/lib/nextauth/handleWithNextAuth";
import { getAuth } from "@/lib/processAuth";

/** next-auth's catch-all route; options are built per request so a failed Keycloak logout can mark this browser. */
export function createNextAuthRoute(auth: () => Auth) {
  return async function nextAuthRoute(req: NextApiRequest, res: NextApiResponse) {
    // next-auth relays browser log calls to the server log through `_log`; anyone could write lines there.
    if (req.query.nextauth?.[0] === "_log") {
      res.status(204).end();
      return;
    }
    await handleWithNextAuth(req, res, auth().nextAuthOptions({ req, res }), auth().env.NEXTAUTH_URL);
  };
}

export default createNextAuthRoute(getAuth);
