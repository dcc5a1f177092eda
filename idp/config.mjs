import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadRealm } from "./realm.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Fixed on purpose: refresh tokens and cookies must survive an IdP restart. Dev only. */
const DEV_SECRET = "idp-dev-secret-not-for-production";
/** Keycloak waits about this long for a back-channel receiver, then gives up without retrying. */
const BACKCHANNEL_TIMEOUT_MS = 5000;

function positiveInt(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

function url(env, name) {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  try {
    return new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute URL, got "${raw}"`);
  }
}

function bool(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw !== "true" && raw !== "false") throw new Error(`${name} must be "true" or "false", got "${raw}"`);
  return raw === "true";
}

/**
 * The variables the realm file's placeholders read, as testing/keycloak.mjs sets them for a real Keycloak:
 * the app's URL (IDP_APP_URL, else NEXTJS_APP_URL) and its back-channel logout URL, which follows the app's URL
 * unless NEXTJS_BACKCHANNEL_LOGOUT_URL says otherwise.
 */
function realmEnv(env) {
  const app = url(env, "IDP_APP_URL") ?? url(env, "NEXTJS_APP_URL");
  if (!app) return env;
  const appUrl = app.href.replace(/\/+$/, "");
  return {
    ...env,
    NEXTJS_APP_URL: appUrl,
    NEXTJS_BACKCHANNEL_LOGOUT_URL: url(env, "NEXTJS_BACKCHANNEL_LOGOUT_URL")?.href ?? `${appUrl}/api/auth/backchannel-logout`,
  };
}

/**
 * Reads and checks the IDP_* variables and the realm file once; throws naming the bad variable.
 * @param {Record<string, string | undefined>} [env]
 */
export function loadConfig(env = process.env) {
  const port = positiveInt(env, "IDP_PORT", 8080);
  if (port > 65535) throw new Error(`IDP_PORT must be at most 65535, got "${port}"`);
  const host = env.IDP_HOST || "127.0.0.1";
  const realmFile = path.resolve(REPO_ROOT, env.IDP_REALM_FILE || "keycloak/realm-nextjs.json");
  const realm = loadRealm(realmFile, { env: realmEnv(env) });
  const { client } = realm;
  const backchannelLogoutUrl = url(env, "IDP_BACKCHANNEL_LOGOUT_URL")?.href ?? client.backchannelLogoutUrl;

  return Object.freeze({
    port,
    host,
    realmFile,
    realmName: realm.name,
    issuer: `http://localhost:${port}/realms/${realm.name}`,
    accessTokenTtlS: positiveInt(env, "IDP_ACCESS_TOKEN_TTL_S", realm.accessTokenLifespanS),
    ssoIdleS: positiveInt(env, "IDP_SSO_IDLE_S", realm.ssoSessionIdleS),
    ssoMaxS: positiveInt(env, "IDP_SSO_MAX_S", realm.ssoSessionMaxS),
    revokeRefreshToken: bool(env, "IDP_REVOKE_REFRESH_TOKEN", realm.revokeRefreshToken),
    backchannelTimeoutMs: positiveInt(env, "IDP_BACKCHANNEL_TIMEOUT_MS", BACKCHANNEL_TIMEOUT_MS),
    // A dev provider: its login page lists the realm's users and passwords unless told not to.
    showTestUsers: bool(env, "IDP_SHOW_TEST_USERS", true),
    devSecret: DEV_SECRET,
    client: Object.freeze({ ...client, backchannelLogoutUrl }),
    users: realm.users,
  });
}
