import { readJson, sendJson } from "./http.mjs";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why a request may not use the control API, or undefined. A web page the developer visits must not reach it:
 * the Host must be a loopback name with this provider's port (no DNS rebinding), an Origin must be the provider's
 * own (no cross-site requests), and a POST or DELETE must say `application/json`, which no simple cross-site
 * request (form, no-cors fetch) can send.
 */
export function controlRequestRefusal(req) {
  const host = String(req.headers.host ?? "").toLowerCase();
  const port = String(req.socket.localPort);
  const at = host.lastIndexOf(":");
  const name = at > 0 ? host.slice(0, at) : host;
  if (at < 0 || !LOOPBACK_NAMES.has(name) || host.slice(at + 1) !== port) {
    return { rule: "loopback-host", error: `the Host header must be localhost, 127.0.0.1 or [::1] with port ${port}` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { rule: "same-origin", error: `the Origin header, when sent, must be http://${host}` };
  }
  const type = String(req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if ((req.method === "POST" || req.method === "DELETE") && type !== "application/json") {
    return { rule: "json-content-type", error: `a ${req.method} must have Content-Type: application/json` };
  }
  return undefined;
}

/** Dev-only JSON control API under /_idp/: sessions, admin logout, faults, stats. */
export function createControl({ sessions, faults, stats }) {
  return async function handleControl(req, res, url) {
    const refusal = controlRequestRefusal(req);
    if (refusal) return sendJson(res, 403, refusal);

    const path = url.pathname.replace(/\/+$/, "");
    const userLogout = /^\/_idp\/users\/([^/]+)\/logout$/.exec(path);

    if (req.method === "GET" && path === "/_idp/sessions") return sendJson(res, 200, sessions.list());
    if (req.method === "POST" && userLogout) {
      const ended = await sessions.endUserSessions(decodeURIComponent(userLogout[1]), "admin logout");
      return ended === undefined ? sendJson(res, 404, { error: "User not found" }) : sendJson(res, 200, { ended });
    }
    if (path === "/_idp/faults") {
      if (req.method === "GET") return sendJson(res, 200, faults.list());
      if (req.method === "DELETE") {
        faults.clear();
        return sendJson(res, 200, { cleared: true });
      }
      if (req.method === "POST") {
        try {
          return sendJson(res, 200, faults.set(await readJson(req)));
        } catch (err) {
          return sendJson(res, 400, { error: err.message });
        }
      }
    }
    if (req.method === "GET" && path === "/_idp/stats") return sendJson(res, 200, stats.get());
    if (req.method === "POST" && path === "/_idp/stats/reset") {
      stats.reset();
      return sendJson(res, 200, stats.get());
    }
    return sendJson(res, 404, { error: "Unknown control endpoint" });
  };
}
