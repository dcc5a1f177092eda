import { sendJson } from "./http.mjs";

const PREFIX = "/account/sessions";

/**
 * Keycloak's Account REST API for sessions (`{issuer}/account/sessions`, `…/devices`, `DELETE …/{id}`,
 * `DELETE …?current=true`), with Keycloak's rules as measured on 26.4.7 and 26.7.5: JSON only when the request
 * accepts JSON (Keycloak answers its account console otherwise); the user's own Bearer access token, whose audience
 * must include `account` and whose session must be live, else 401; listing needs `view-profile` or
 * `manage-account`, ending needs `manage-account` (else 403); an unknown session id still answers 204. Ending a
 * session sends its back-channel logout, as Keycloak does.
 */
export function createAccountApi({ verifier, store, sessions, clientId, clientName }) {
  const accountRoles = (claims) => claims?.resource_access?.account?.roles ?? [];

  async function authenticate(req) {
    const [scheme, token] = String(req.headers.authorization ?? "").split(" ");
    const claims = scheme?.toLowerCase() === "bearer" && token ? await verifier.accessToken(token) : undefined;
    if (!claims || ![claims.aud].flat().includes("account")) return undefined;
    const uid = store.sessionUidForSid(claims.sid);
    return uid ? { claims, uid } : undefined;
  }

  const UNKNOWN_DEVICE = { browser: "Other/Unknown", os: "Other", osVersion: "Unknown", device: "Other", mobile: false, ipAddress: "" };

  function describe({ uid, payload, meta }, currentUid) {
    const sid = payload.authorizations?.[clientId]?.sid ?? uid;
    const device = store.device(uid) ?? UNKNOWN_DEVICE;
    return {
      id: sid,
      ipAddress: device.ipAddress,
      started: Math.floor(meta.createdAtMs / 1000),
      lastAccess: Math.floor(meta.lastRefreshAtMs / 1000),
      expires: Math.floor(Date.now() / 1000) + store.remainingS(uid),
      clients: payload.authorizations?.[clientId] ? [{ clientId, clientName, userConsentRequired: false, inUse: false, offlineAccess: false }] : [],
      browser: device.browser,
      ...(uid === currentUid ? { current: true } : {}),
    };
  }

  /** Keycloak's `…/devices`: sessions grouped by the system they signed in from, each group with its latest activity. */
  function devicesOf(own, currentUid) {
    const groups = new Map();
    for (const session of own) {
      const { os, osVersion, device, mobile } = store.device(session.uid) ?? UNKNOWN_DEVICE;
      const key = `${os}|${osVersion}|${device}`;
      if (!groups.has(key)) groups.set(key, { os, osVersion, device, mobile, sessions: [] });
      groups.get(key).sessions.push(describe(session, currentUid));
    }
    return [...groups.values()].map((group) => ({
      ...group,
      browser: group.sessions[0].browser,
      ipAddress: group.sessions[0].ipAddress,
      lastAccess: Math.max(...group.sessions.map((s) => s.lastAccess)),
      ...(group.sessions.some((s) => s.current) ? { current: true } : {}),
    }));
  }

  return {
    /** True when this realm path belongs to the Account API. */
    handles: (realmPath) => realmPath === PREFIX || realmPath.startsWith(`${PREFIX}/`),

    async handle(req, res, realmPath, url) {
      if (!String(req.headers.accept ?? "").includes("application/json")) {
        return sendJson(res, 405, { error: "HTTP 405 Method Not Allowed" });
      }
      const auth = await authenticate(req);
      if (!auth) return sendJson(res, 401, { error: "HTTP 401 Unauthorized" });
      const roles = accountRoles(auth.claims);
      const own = store.sessions().filter((s) => s.payload.accountId === auth.claims.sub);

      if (req.method === "GET") {
        if (!roles.includes("view-profile") && !roles.includes("manage-account")) return sendJson(res, 403, { error: "HTTP 403 Forbidden" });
        if (realmPath === `${PREFIX}/devices`) return sendJson(res, 200, devicesOf(own, auth.uid));
        if (realmPath === PREFIX) return sendJson(res, 200, own.map((s) => describe(s, auth.uid)));
        return sendJson(res, 404, { error: "HTTP 404 Not Found" });
      }

      if (req.method === "DELETE") {
        if (!roles.includes("manage-account")) return sendJson(res, 403, { error: "HTTP 403 Forbidden" });
        if (realmPath === PREFIX) {
          const includeCurrent = url.searchParams.get("current") === "true";
          const targets = own.filter((s) => includeCurrent || s.uid !== auth.uid);
          await Promise.all(targets.map((s) => sessions.endSession(s.uid, { reason: "account API" })));
        } else {
          const sid = decodeURIComponent(realmPath.slice(PREFIX.length + 1));
          const target = own.find((s) => (s.payload.authorizations?.[clientId]?.sid ?? s.uid) === sid);
          if (target) await sessions.endSession(target.uid, { reason: "account API" });
        }
        res.writeHead(204).end();
        return undefined;
      }
      res.setHeader("allow", "GET, DELETE");
      return sendJson(res, 405, { error: "HTTP 405 Method Not Allowed" });
    },
  };
}
