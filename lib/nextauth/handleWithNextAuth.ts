import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth, { type NextAuthOptions } from "next-auth";
import { dropUnusableCallbackUrls } from "./mirror/callbackUrl";
import { allowedSignInQuery } from "./signInQuery";

/**
 * Hands a request to next-auth's own handler, after taking out what must not reach it: a sign-in's authorization
 * parameters beyond the allow-list (only the POST that builds Keycloak's authorization URL reads them), and callback
 * URLs next-auth would answer with a 500. Every route that calls next-auth goes through here.
 */
export async function handleWithNextAuth(req: NextApiRequest, res: NextApiResponse, options: NextAuthOptions, publicUrl: URL): Promise<void> {
  if (req.query.nextauth?.[0] === "signin" && req.method === "POST") req.query = allowedSignInQuery(req.query);
  dropUnusableCallbackUrls(req, options, publicUrl);
  await NextAuth(req, res, options);
}
