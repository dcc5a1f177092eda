import axios from "axios";
import type { NextApiRequest, NextApiResponse } from "next";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { getAccessToken } from "@/lib/nextauth/accessToken";
import { getKeycloak } from "@/lib/services";
import { allowMethod } from "@/lib/http/allowMethod";

const USERINFO_TIMEOUT_MS = 3000;

/** Example of a server-side call to a Keycloak-protected resource: the user's userinfo, with the access token. */
export default async function userinfo(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  res.setHeader("Cache-Control", "private, no-store");
  if (!allowMethod(req, res, "GET")) return;
  let auth: Awaited<ReturnType<typeof getAccessToken>>;
  try {
    auth = await getAccessToken(req, res);
  } catch (error) {
    if (!isAppError(error, "STORE_UNAVAILABLE")) throw error;
    res.status(503).json({ error: "session_store_unavailable" });
    return;
  }
  if (!auth) {
    res.status(401).json({ error: "not_signed_in" });
    return;
  }

  try {
    const { userinfo_endpoint } = await getKeycloak().discover();
    if (!userinfo_endpoint) throw new Error("no userinfo_endpoint in discovery");
    const response = await axios.get<Record<string, unknown>>(userinfo_endpoint, {
      headers: { Authorization: `Bearer ${auth.accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(USERINFO_TIMEOUT_MS),
    });
    const { sub, name, email, preferred_username } = response.data;
    res.status(200).json({ sub, name, email, preferred_username });
  } catch (error) {
    log.warn("USERINFO_FAILED", { status: axios.isAxiosError(error) ? error.response?.status : undefined });
    res.status(502).json({ error: "keycloak_unavailable" });
  }
}
