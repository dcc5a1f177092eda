import { readJson, sendJson } from "./http.mjs";

/** Dev-only JSON control API under /_idp/: sessions, admin logout, faults, stats. */
export function createControl({ sessions, faults, stats }) {
  return async function handleControl(req, res, url) {
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
