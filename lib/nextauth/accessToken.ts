import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession, type Session } from "next-auth";
import { getToken } from "next-auth/jwt";
import { getEnv } from "../config/env";
import { getStore } from "../services";
import { storedAccessToken } from "../session/lifecycle";
import { getAuthOptions } from "./authOptions";
import { decodeSessionCookie } from "./cookieCodec";

/**
 * For API routes that call a Keycloak-protected resource: the confirmed session and its fresh access token, read
 * from the server-side store. The token never leaves the server. Null when signed out; a store outage propagates
 * (STORE_UNAVAILABLE) so callers can answer 503.
 */
export async function getAccessToken(
  req: NextApiRequest,
  res: NextApiResponse,
): Promise<{ session: Session; accessToken: string } | null> {
  // getServerSession runs the jwt callback: revocation checks and, when due, the refresh.
  const session = await getServerSession(req, res, getAuthOptions());
  if (!session?.user) return null;
  const token = await getToken({ req, secret: getEnv().NEXTAUTH_SECRET, decode: decodeSessionCookie });
  if (!token?.sessionId) return null;
  const accessToken = await storedAccessToken(getStore(), token.sessionId);
  return accessToken ? { session, accessToken } : null;
}
