import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/nextauth/authOptions";

/** next-auth's catch-all route; options are built per request so a failed Keycloak logout can mark this browser. */
export default async function auth(req: NextApiRequest, res: NextApiResponse) {
  // next-auth relays browser log calls to the server log through `_log`; anyone could write lines there.
  if (req.query.nextauth?.[0] === "_log") {
    res.status(204).end();
    return;
  }
  await NextAuth(req, res, buildAuthOptions({ req, res }));
}
