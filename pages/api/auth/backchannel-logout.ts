import type { NextApiRequest, NextApiResponse } from "next";
import { httpStatusOf, isAppError } from "@/lib/errors";
import { readFormBody } from "@/lib/http/readFormBody";
import { describeError, log } from "@/lib/log";
import { getKeycloak, getStore } from "@/lib/services";
import { acceptBackchannelLogout } from "@/lib/session/backchannelLogout";
import { SESSION_MAX_AGE_S } from "@/lib/session/sessionPolicy";
import { allowMethod } from "@/lib/http/allowMethod";

// A logout token is about 1 KB; anything far larger is refused before parsing.
const MAX_BODY_BYTES = 16 * 1024;

export const config = { api: { bodyParser: false } };

/** Keycloak's "Backchannel logout URL": OpenID Connect Back-Channel Logout 1.0, §2.5-2.8. */
export default async function backchannelLogout(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  res.setHeader("Cache-Control", "no-store");
  if (!allowMethod(req, res, "POST")) return;

  const form = await readFormBody(req, MAX_BODY_BYTES);
  if (!form.ok) {
    log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: form.reason });
    res.status(form.status).json({ error: "invalid_request", error_description: form.reason });
    return;
  }
  const logoutToken = form.fields.get("logout_token");
  if (!logoutToken) {
    log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: "no logout_token field" });
    res.status(400).json({ error: "invalid_request", error_description: "logout_token is required" });
    return;
  }

  try {
    const outcome = await acceptBackchannelLogout(logoutToken, {
      keycloak: getKeycloak(),
      store: getStore(),
      sessionMaxAgeS: SESSION_MAX_AGE_S,
    });
    if (!outcome.ok) {
      log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: outcome.error.message });
      res.status(400).json({ error: "invalid_request", error_description: "invalid logout_token" });
      return;
    }
    res.status(200).end();
  } catch (error) {
    const status = httpStatusOf(error);
    const code = isAppError(error) ? "BACKCHANNEL_LOGOUT_FAILED" : "BACKCHANNEL_LOGOUT_UNEXPECTED_ERROR";
    log.error(code, { ...describeError(error), hint: "Keycloak does not retry: the session ends at its next refresh" });
    res.status(status).json({ error: status === 503 ? "temporarily_unavailable" : "server_error" });
  }
}
