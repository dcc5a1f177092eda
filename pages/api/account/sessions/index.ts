import type { NextApiRequest, NextApiResponse } from "next";
import { sendError } from "@/lib/http/sendError";
import { getAccessToken } from "@/lib/nextauth/accessToken";
import { getKeycloak } from "@/lib/services";
import { allowMethod } from "@/lib/http/allowMethod";

/** GET: the signed-in user's Keycloak sessions ("Your sessions" on /profile), from Keycloak's Account REST API. */
export default async function accountSessions(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  res.setHeader("Cache-Control", "private, no-store");
  if (!allowMethod(req, res, "GET")) return;
  try {
    const auth = await getAccessToken(req, res);
    if (!auth) {
      res.status(401).json({ error: "not_signed_in" });
      return;
    }
    res.status(200).json({ sessions: await getKeycloak().accountSessions(auth.accessToken) });
  } catch (error) {
    sendError(res, error, "ACCOUNT_SESSIONS_FAILED");
  }
}
