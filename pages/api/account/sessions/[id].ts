import type { NextApiRequest, NextApiResponse } from "next";
import { sendError } from "@/lib/http/sendError";
import { getAccessToken } from "@/lib/nextauth/accessToken";
import { getKeycloak } from "@/lib/services";
import { allowMethod } from "@/lib/http/allowMethod";

/**
 * DELETE: ends one of the user's other Keycloak sessions (Keycloak sends its back-channel logout). A DELETE from
 * another site needs a CORS preflight, which this route never grants, so a cookie alone cannot trigger it.
 */
export default async function endAccountSession(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  if (!allowMethod(req, res, "DELETE")) return;
  const id = typeof req.query.id === "string" ? req.query.id : "";
  try {
    const auth = await getAccessToken(req, res);
    if (!auth) {
      res.status(401).json({ error: "not_signed_in" });
      return;
    }
    await getKeycloak().endAccountSession(auth.accessToken, id);
    res.status(204).end();
  } catch (error) {
    sendError(res, error, "ACCOUNT_SESSION_END_FAILED");
  }
}
