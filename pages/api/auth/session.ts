import type { NextApiRequest, NextApiResponse } from "next";
import type { Auth } from "@/lib/auth";
import { handleWithNextAuth } from "@/lib/nextauth/handleWithNextAuth";
import { getAuth } from "@/lib/processAuth";

/**
 * /api/auth/session in a file of its own: GET (useSession, getSession) takes the read path, with the same JSON as
 * next-auth's route and no re-encryption (lib/nextauth/mirror/sessionRoute.ts); a static route also skips Next's
 * catch-all matching (bench/RESULTS.md). Anything else, such as useSession's `update()` (a POST with the CSRF
 * token), stays next-auth's.
 */
export function createSessionRoute(auth: () => Auth) {
  return async function sessionRoute(req: NextApiRequest, res: NextApiResponse) {
    if (req.method === "GET") {
      await auth().sessions.send(req, res);
      return;
    }
    req.query.nextauth = ["session"];
    await handleWithNextAuth(req, res, auth().nextAuthOptions({ req, res }), auth().env.NEXTAUTH_URL);
  };
}

export default createSessionRoute(getAuth);
