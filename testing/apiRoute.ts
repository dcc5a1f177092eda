import { Readable } from "node:stream";
import type { NextApiHandler, NextApiRequest, NextApiResponse } from "next";

/** A request to an API route, as Next's resolver would hand it over. */
export interface ApiRouteRequest {
  method?: string;
  /** Next's parsed query, e.g. { nextauth: ["_log"] } for /api/auth/_log. */
  query?: NextApiRequest["query"];
  headers?: Record<string, string>;
  /** The raw body, streamed in these chunks (routes with `bodyParser: false` read it). */
  chunks?: (string | Buffer)[];
  /** The body as Next's body parser would have left it (routes that keep the parser). */
  body?: unknown;
}

/** What the route answered. */
export interface ApiRouteResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Calls a pages-router API handler in-process with a streamed request and a response that records what it was told,
 * with the helpers Next adds (`status`, `json`, `send`, `redirect`). Resolves once the handler has returned and the
 * response ended.
 */
export async function callApiRoute(handler: NextApiHandler, request: ApiRouteRequest = {}): Promise<ApiRouteResponse> {
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const req = Object.assign(Readable.from((request.chunks ?? []).map((c) => Buffer.from(c))), {
    method: request.method ?? "GET",
    url: "/",
    headers,
    query: request.query ?? {},
    body: request.body,
    // Next parses the Cookie header into req.cookies (next-auth reads them there).
    cookies: Object.fromEntries(
      (headers.cookie ?? "")
        .split(";")
        .map((pair) => pair.trim())
        .filter((pair) => pair.includes("="))
        .map((pair) => [pair.slice(0, pair.indexOf("=")), decodeURIComponent(pair.slice(pair.indexOf("=") + 1))]),
    ),
  }) as unknown as NextApiRequest;

  const recorded: ApiRouteResponse = { status: 200, headers: {}, body: "" };
  let ended = false;
  const res = {
    get statusCode() {
      return recorded.status;
    },
    set statusCode(value: number) {
      recorded.status = value;
    },
    get headersSent() {
      return ended;
    },
    setHeader(name: string, value: unknown) {
      recorded.headers[name.toLowerCase()] = value;
      return res;
    },
    getHeader: (name: string) => recorded.headers[name.toLowerCase()],
    removeHeader: (name: string) => void delete recorded.headers[name.toLowerCase()],
    status(code: number) {
      recorded.status = code;
      return res;
    },
    json(value: unknown) {
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify(value));
    },
    send(value: unknown) {
      return res.end(typeof value === "string" || Buffer.isBuffer(value) ? value : JSON.stringify(value ?? ""));
    },
    redirect(statusOrUrl: number | string, url?: string) {
      recorded.status = typeof statusOrUrl === "number" ? statusOrUrl : 307;
      res.setHeader("location", typeof statusOrUrl === "string" ? statusOrUrl : url);
      return res.end();
    },
    end(chunk?: string | Buffer) {
      if (chunk !== undefined) recorded.body += chunk.toString();
      ended = true;
      return res;
    },
  };
  await handler(req, res as unknown as NextApiResponse);
  if (!ended) throw new Error("the API route returned without ending its response");
  return recorded;
}
