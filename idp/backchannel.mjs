import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { log } from "./log.mjs";

const LOGOUT_TOKEN_TTL_S = 120;

/** Sends OIDC Back-Channel Logout 1.0 requests shaped like Keycloak 26's. */
export function createBackchannelSender({ config, keys, stats }) {
  const { issuer, client, backchannelTimeoutMs } = config;

  async function logoutToken({ sub, sid }) {
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iat,
      exp: iat + LOGOUT_TOKEN_TTL_S,
      jti: randomUUID(),
      iss: issuer,
      aud: client.clientId,
      sub,
      typ: "Logout",
      ...(client.backchannelLogoutSessionRequired ? { sid } : {}),
      events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    })
      .setProtectedHeader({ alg: "RS256", typ: "logout+jwt", kid: keys.kid })
      .sign(keys.privateKey);
  }

  /** POSTs a logout token for one session to the client's back-channel URL; resolves once done or timed out. */
  return async function sendBackchannelLogout({ sub, sid }) {
    const url = client.backchannelLogoutUrl;
    if (!url) return;
    const body = new URLSearchParams({ logout_token: await logoutToken({ sub, sid }) });
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(backchannelTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status === 200 || response.status === 204;
      const ms = performance.now() - started;
      stats.get().backchannel[ok ? "sent" : "failed"] += 1;
      if (ok) stats.recordBackchannelRoundTrip(ms);
      log(`backchannel logout ${ok ? "sent" : "failed"}: sid=${sid} status=${response.status} in ${Math.round(ms)} ms to ${url}`);
    } catch (err) {
      stats.get().backchannel.failed += 1;
      const reason = err?.name === "TimeoutError" ? `no answer within ${backchannelTimeoutMs} ms` : (err?.cause?.code ?? err?.message);
      log(`backchannel logout failed: sid=${sid} ${reason} to ${url}`);
    }
  };
}
