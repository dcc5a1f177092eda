import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/nextauth/authOptions";
import { sendSession } from "@/lib/nextauth/sessionReader";

/** next-auth's catch-all route; options are built per request so a failed Keycloak logout can mark this browser. */
export default async function auth(req: NextApiRequest, res: NextApiResponse) {
  const action = req.query.nextauth?.[0];
  // next-auth relays browser log calls to the server log through `_log`; anyone could write lines there.
  if (action === "_log") {
    res.status(204).end();
    return;
  }
  // Session reads (useSession, getSession) take the read path: same JSON, no re-encryption (lib/nextauth/sessionReader.ts).
  if (action === "session" && req.method === "GET" && req.query.nextauth?.length === 1) {
    await sendSession(req, res);
    return;
  }
  await NextAuth(req, res, buildAuthOptions({ req, res }));
}
