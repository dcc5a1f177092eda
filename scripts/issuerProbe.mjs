// @ts-check
// What answers at a realm issuer: its discovery document, a server without that realm, or nothing at all.

/**
 * @param {string} issuer e.g. http://localhost:8080/realms/nextjs
 * @returns {Promise<{ kind: "ok" } | { kind: "no-realm", status: number, detail: string } | { kind: "silent", reason: string }>}
 *   "no-realm": a server answered but has no such realm (Keycloak: 404 "Realm does not exist");
 *   "silent": nothing answered (refused, timeout, DNS).
 */
export async function probeIssuer(issuer, timeoutMs = 1500) {
  let response;
  // A plain timer keeps the process alive until the answer or the deadline (AbortSignal.timeout's does not).
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: controller.signal });
  } catch (error) {
    const cause = /** @type {{ cause?: { code?: string } }} */ (error).cause;
    return { kind: "silent", reason: cause?.code ?? (error instanceof Error ? error.name : String(error)) };
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      if (JSON.parse(text).issuer) return { kind: "ok" };
    } catch {
      // not a discovery document: reported below
    }
  }
  let detail = text.slice(0, 120);
  try {
    const body = JSON.parse(text);
    detail = body.error_description ?? body.error ?? detail;
  } catch {
    // not JSON: keep the text
  }
  return { kind: "no-realm", status: response.status, detail: detail.replace(/\s+/g, " ").trim() };
}

/**
 * The realm an issuer names (…/realms/<realm>), or undefined.
 * @param {string} issuer
 */
export function realmOf(issuer) {
  const match = /\/realms\/([^/]+)$/.exec(new URL(issuer).pathname);
  return match ? decodeURIComponent(match[1]) : undefined;
}
