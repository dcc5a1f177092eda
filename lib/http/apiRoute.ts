import type { NextApiHandler, NextApiRequest, NextApiResponse } from "next";
import { AppError } from "../errors";
import { sendError } from "./sendError";

/** An HTTP method an API route can serve. */
export type Method = "GET" | "POST" | "DELETE";
/** One method's logic. */
export type MethodHandler = (req: NextApiRequest, res: NextApiResponse) => Promise<void>;

/**
 * An API route made of its handlers by method (taxonomy's withMethods): another method gets 405 with `Allow`; every
 * answer is `Cache-Control: no-store` (they are per user); anything a handler throws is answered by sendError, with
 * `logCode` naming the route in the log.
 */
export function apiRoute(logCode: string, handlers: Partial<Record<Method, MethodHandler>>): NextApiHandler {
  const allowed = Object.keys(handlers).join(", ");
  return async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const handler = handlers[req.method as Method];
    try {
      if (!handler) {
        res.setHeader("Allow", allowed);
        throw new AppError("METHOD_NOT_ALLOWED", `Use ${allowed}`);
      }
      await handler(req, res);
    } catch (error) {
      sendError(res, error, logCode);
    }
  };
}

/** Refuses a request whose body is not JSON (415): a cross-site form cannot send JSON without a CORS preflight. */
export function requireJson(req: NextApiRequest): void {
  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
    throw new AppError("JSON_REQUIRED", "The body must be application/json");
  }
}
