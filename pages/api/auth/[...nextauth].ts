import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { buildAuthOptions } from "@/lib/authOptions";

/** next-auth's catch-all route; options are built per request so a failed Keycloak logout can mark this browser. */
export default function auth(req: NextApiRequest, res: NextApiResponse) {
  return NextAuth(req, res, buildAuthOptions({ req, res }));
}
