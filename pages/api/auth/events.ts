import type { Auth } from "@/lib/auth";
import { apiRoute } from "@/lib/http/apiRoute";
import { getAuth } from "@/lib/processAuth";

/**
 * GET: this browser's live channel (server-sent events). It says once, `event: session-ended` with `{ reason }`, when
 * the session ends anywhere (sign-out, sign out everywhere, Keycloak's logout, a refused refresh, its end, a store
 * reset), then closes. Behind a proxy, turn response buffering off for this path (README, production checklist).
 */
// The response stays open after the handler returns: Next must not warn that it "resolved without sending a response".
export const config = { api: { externalResolver: true } };

export function createEventsRoute(auth: () => Auth) {
  return apiRoute("LIVE_SESSION_FAILED", {
    GET: (req, res) => auth().liveStreams.handle(req, res),
  });
}

export default createEventsRoute(getAuth);
