import type { IncomingMessage } from "node:http";

/** A parsed form body, or why it was refused and with which status (413 too large, 400 otherwise: OpenID Connect Back-Channel Logout §2.8). */
export type FormBody = { ok: true; fields: URLSearchParams } | { ok: false; status: 400 | 413; reason: string };

/** Reads an application/x-www-form-urlencoded body of at most `maxBytes`, refusing anything else. */
export async function readFormBody(req: IncomingMessage, maxBytes: number): Promise<FormBody> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return { ok: false, status: 400, reason: "not a form body" };
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return { ok: false, status: 413, reason: "body too large" };

  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) return { ok: false, status: 413, reason: "body too large" };
      chunks.push(chunk as Buffer);
    }
  } catch {
    return { ok: false, status: 400, reason: "body not fully received" };
  }
  return { ok: true, fields: new URLSearchParams(Buffer.concat(chunks).toString("utf8")) };
}
