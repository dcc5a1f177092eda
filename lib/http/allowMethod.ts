import type { IncomingMessage, ServerResponse } from "node:http";

/** True when the request uses `method`; otherwise answers 405 with `Allow` and returns false. */
export function allowMethod(req: IncomingMessage, res: ServerResponse, method: "GET" | "POST" | "DELETE"): boolean {
  if (req.method === method) return true;
  res.statusCode = 405;
  res.setHeader("Allow", method);
  res.setHeader("Content-Type", "application/json");
  res.end(JSON.stringify({ error: "method_not_allowed" }));
  return false;
}
