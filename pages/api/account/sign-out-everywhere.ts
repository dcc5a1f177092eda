import type { NextApiRequest, NextApiResponse } from "next";
import { sendError } from "@/lib/http/sendError";
import { getAccessToken } from "@/lib/nextauth/accessToken";
import { getKeycloak, getStore } from "@/lib/services";
import { SESSION_MAX_AGE_S } from "@/lib/session/sessionPolicy";
import { signOutEverywhere } from "@/lib/session/signOutEverywhere";
import { allowMethod } from "@/lib/http/allowMethod";

/**
 * POST (JSON): ends every Keycloak session of the user and every app session of the user on every instance, this
 * one included. A JSON body cannot be sent cross-site without a CORS preflight, which this route never grants.
 */
export default async function signOutEverywhereRoute(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  if (!allowMethod(req, res, "POST")) return;
  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
    res.status(415).json({ error: "json_required" });
    return;
  }
  try {
    const auth = await getAccessToken(req, res);
    if (!auth) {
      res.status(401).json({ error: "not_signed_in" });
      return;
    }
    await signOutEverywhere({ sub: auth.sub, accessToken: auth.accessToken }, { keycloak: getKeycloak(), store: getStore(), sessionMaxAgeS: SESSION_MAX_AGE_S });
    res.status(204).end();
  } catch (error) {
    sendError(res, error, "SIGN_OUT_EVERYWHERE_FAILED");
  }
}
