// @ts-check
// What already answers on a port where Keycloak should start: a Keycloak, the built-in identity provider, or another
// program (named from /proc when possible), so `npm run keycloak` can say which, and what to do.
import { portHolder } from "./portHolder.mjs";

/**
 * The HTTP status `url` answers, or undefined. The deadline is a plain timer, not AbortSignal.timeout: that one does not
 * keep the process alive, and a program that closes connections without answering can leave fetch pending forever.
 * @param {string} url
 */
async function status(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 1500);
  try {
    return (await fetch(url, { signal: controller.signal, redirect: "manual" })).status;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * @param {number} port
 * @param {string} realm the realm Keycloak would import
 * @returns {Promise<{ kind: "free" } | { kind: "keycloak", hasRealm: boolean } | { kind: "built-in", hasRealm: boolean } | { kind: "other", holder: string }>}
 */
export async function portOccupant(port, realm) {
  const held = await portHolder(port, "0.0.0.0");
  if (!held.taken) return { kind: "free" };
  const origin = `http://127.0.0.1:${port}`;
  const [master, own, control] = await Promise.all([
    status(`${origin}/realms/master/.well-known/openid-configuration`),
    status(`${origin}/realms/${encodeURIComponent(realm)}/.well-known/openid-configuration`),
    // The built-in provider's control API (idp/control.mjs); Keycloak has no such path.
    status(`${origin}/_idp/sessions`),
  ]);
  // Every Keycloak has the master realm; the built-in provider serves one realm and has /_idp/.
  if (master === 200) return { kind: "keycloak", hasRealm: own === 200 };
  if (control === 200) return { kind: "built-in", hasRealm: own === 200 };
  return { kind: "other", holder: held.holder };
}
