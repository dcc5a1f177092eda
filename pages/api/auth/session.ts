import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import type { Auth } from "@/lib/auth";
import { dropUnusableCallbackUrls } from "@/lib/nextauth/mirror/callbackUrl";
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
    const options = auth().nextAuthOptions({ req, res });
    dropUnusableCallbackUrls(req, options, auth().env.NEXTAUTH_URL);
    await NextAuth(req, res, options);
  };
}

export default createSessionRoute(getAuth);
