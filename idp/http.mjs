import { Readable } from "node:stream";

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Sent with every response (as Keycloak sends its own): no framing of the login page (clickjacking), no MIME
 * sniffing, no URL with a code or state in a Referer, no powerful features. HSTS belongs to a TLS proxy.
 */
export const SECURITY_HEADERS = Object.freeze({
  "x-frame-options": "DENY",
  "content-security-policy": "frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
});

/** Sets SECURITY_HEADERS on a response before anything (oidc-provider included) writes it. */
export function setSecurityHeaders(res) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/** Reads a request body as a string (at most 64 KB). */
export async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error("request body too large"), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads an application/x-www-form-urlencoded body into a plain object (empty for other types). */
export async function readForm(req) {
  const type = String(req.headers["content-type"] ?? "");
  const body = await readBody(req);
  return type.startsWith("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(body)) : {};
}

/**
 * Puts a body back on a request whose body was read, for a handler that reads it again (oidc-provider reads the
 * stream; a `req.body` fallback makes it warn): Koa's request then sees a fresh stream with the same headers.
 * A plain stream, not an IncomingMessage: ending or dropping that one would close the client's socket.
 * @param {{ req: any, request: { req: any }, response: { req: any } }} ctx Koa's context
 * @param {string} body
 */
export function replaceRequestBody(ctx, body) {
  const original = ctx.req;
  const replay = Object.assign(Readable.from([Buffer.from(body)]), {
    method: original.method,
    url: original.url,
    httpVersion: original.httpVersion,
    headers: { ...original.headers, "content-length": String(Buffer.byteLength(body)) },
    socket: original.socket,
  });
  ctx.req = ctx.request.req = ctx.response.req = replay;
}

/** Reads a JSON body; an empty body is {}. */
export async function readJson(req) {
  const body = await readBody(req);
  return body ? JSON.parse(body) : {};
}

/** Sends JSON with no-store caching. */
export function sendJson(res, status, value) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

/** Sends an HTML page with no-store caching. */
export function sendHtml(res, status, html, headers = {}) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(html);
}

/** Client id and secret from HTTP Basic auth (RFC 6749 §2.3.1 form-encodes both parts), or undefined. */
export function basicCredentials(req) {
  const [scheme, value] = String(req.headers.authorization ?? "").split(" ");
  if (scheme?.toLowerCase() !== "basic" || !value) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return undefined;
  const decode = (s) => decodeURIComponent(s.replace(/\+/g, " "));
  try {
    return { clientId: decode(decoded.slice(0, i)), clientSecret: decode(decoded.slice(i + 1)) };
  } catch {
    return undefined;
  }
}
