import type { NextApiRequest, NextApiResponse } from "next";
import { acceptBackchannelLogout } from "@/lib/backchannelLogout";
import { SESSION_MAX_AGE_S } from "@/lib/authOptions";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { IssuerKeysUnavailableError, remoteKeys } from "@/lib/logoutToken";
import { discover } from "@/lib/oidcDiscovery";
import { readFormBody } from "@/lib/readFormBody";
import { getSessionStore, isStoreUnavailable } from "@/lib/sessionStore";

// A logout token is about 1 KB; anything far larger is refused before parsing.
const MAX_BODY_BYTES = 16 * 1024;

export const config = { api: { bodyParser: false } };

/** Keycloak's "Backchannel logout URL": OpenID Connect Back-Channel Logout 1.0, §2.5-2.8. */
export default async function backchannelLogout(req: NextApiRequest, res: NextApiResponse) {
  res.setHeader("Cache-Control", "no-store");
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return res.status(405).json({ error: "method_not_allowed" });
  }

  const form = await readFormBody(req, MAX_BODY_BYTES);
  const logoutToken = form.ok ? form.fields.get("logout_token") : null;
  if (!logoutToken) {
    log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: form.ok ? "no logout_token field" : form.reason });
    return res.status(400).json({ error: "invalid_request", error_description: "logout_token is required" });
  }

  const env = getEnv();
  try {
    const { jwks_uri } = await discover(env.KEYCLOAK_ISSUER);
    const outcome = await acceptBackchannelLogout(
      logoutToken,
      { issuer: env.KEYCLOAK_ISSUER, clientId: env.KEYCLOAK_CLIENT_ID, keys: remoteKeys(jwks_uri) },
      getSessionStore(),
      SESSION_MAX_AGE_S,
    );
    if (!outcome.ok) {
      log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: outcome.error.message });
      return res.status(400).json({ error: "invalid_request", error_description: "invalid logout_token" });
    }
    return res.status(200).end();
  } catch (error) {
    const reason =
      isStoreUnavailable(error)
        ? "store unavailable"
        : error instanceof IssuerKeysUnavailableError
          ? "issuer keys unavailable"
          : "discovery failed";
    log.error("BACKCHANNEL_LOGOUT_FAILED", { reason, hint: "Keycloak does not retry: the session ends at its next refresh" });
    return res.status(503).json({ error: "temporarily_unavailable" });
  }
}
