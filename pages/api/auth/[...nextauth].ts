import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import type { Auth } from "@/lib/auth";
import { dropUnusableCallbackUrls } from "@/lib/nextauth/mirror/callbackUrl";
import { allowedSignInQuery } from "@/lib/nextauth/signInQuery";
import { getAuth } from "@/lib/processAuth";

/** next-auth's catch-all route; options are built per request so a failed Keycloak logout can mark this browser. */
export function createNextAuthRoute(auth: () => Auth) {
  return async function nextAuthRoute(req: NextApiRequest, res: NextApiResponse) {
    const action = req.query.nextauth?.[0];
    // next-auth relays browser log calls to the server log through `_log`; anyone could write lines there.
    if (action === "_log") {
      res.status(204).end();
      return;
    }
    // The POST that builds Keycloak's authorization URL; GETs only redirect to the app's sign-in page.
    if (action === "signin" && req.method === "POST") req.query = allowedSignInQuery(req.query);
    const options = auth().nextAuthOptions({ req, res });
    dropUnusableCallbackUrls(req, options, auth().env.NEXTAUTH_URL);
    await NextAuth(req, res, options);
  };
}

export default createNextAuthRoute(getAuth);
