import type { Auth } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/apiRoute";
import { readFormBody } from "@/lib/http/readFormBody";
import { log } from "@/lib/log";
import { getAuth } from "@/lib/processAuth";

// A logout token is about 1 KB; anything far larger is refused before parsing.
const MAX_BODY_BYTES = 16 * 1024;

export const config = { api: { bodyParser: false } };

/**
 * Keycloak's "Backchannel logout URL": OpenID Connect Back-Channel Logout 1.0, §2.5-2.8. 200 once the logout is
 * recorded (in the store, or kept by this instance while the store is down); 400 for a refused token; 503 only
 * when the issuer's keys could not be fetched, so nothing was decided.
 */
export function createBackchannelLogoutRoute(auth: () => Auth) {
  return apiRoute("BACKCHANNEL_LOGOUT_FAILED", {
    async POST(req, res) {
      const form = await readFormBody(req, MAX_BODY_BYTES);
      if (!form.ok) {
        log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: form.reason });
        throw new AppError(form.status === 413 ? "BODY_TOO_LARGE" : "BAD_REQUEST", form.reason);
      }
      const logoutToken = form.fields.get("logout_token");
      if (!logoutToken) {
        log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: "no logout_token field" });
        throw new AppError("BAD_REQUEST", "logout_token is required");
      }
      const outcome = await auth().backchannelLogout(logoutToken);
      if (!outcome.ok) {
        log.warn("BACKCHANNEL_LOGOUT_REJECTED", { reason: outcome.error.message });
        throw new AppError("LOGOUT_TOKEN_INVALID", "invalid logout_token");
      }
      res.status(200).end();
    },
  });
}

export default createBackchannelLogoutRoute(getAuth);
