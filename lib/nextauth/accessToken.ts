import type { NextApiRequest, NextApiResponse } from "next";
import type { Session } from "next-auth";
import { getStore } from "../services";
import { storedAccessToken } from "../session/lifecycle";
import { readConfirmedSession } from "./sessionReader";

/**
 * For API routes that call a Keycloak-protected resource: the confirmed session and its fresh access token, read
 * from the server-side store. The token never leaves the server. Null when signed out; a store outage propagates
 * (STORE_UNAVAILABLE) so callers can answer 503.
 */
export async function getAccessToken(
  req: NextApiRequest,
  res: NextApiResponse,
): Promise<{ session: Session; accessToken: string; sub: string } | null> {
  // The session read runs the revocation checks and, when due, the refresh.
  const confirmed = await readConfirmedSession(req, res);
  if (!confirmed) return null;
  const accessToken = await storedAccessToken(getStore(), confirmed.sessionId);
  return accessToken ? { session: confirmed.session, accessToken, sub: confirmed.sub } : null;
}
