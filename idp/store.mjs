const GRANTABLE = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"]);
const SWEEP_INTERVAL_MS = 60_000;

/**
 * In-memory storage for oidc-provider plus the indexes it lacks: per-client sid → session,
 * account → sessions, and Keycloak-style idle/max session lifetimes (each refresh resets idle).
 */
export function createStore({ ssoIdleS, ssoMaxS, now = Date.now }) {
  const records = new Map(); // `${model}:${id}` → { payload, expiresAtMs }
  const grantMembers = new Map(); // grantId → Set of record keys
  const sessionIdByUid = new Map();
  const sessionUidBySid = new Map();
  const meta = new Map(); // session uid → { accountId, createdAtMs, lastRefreshAtMs }
  const devices = new Map(); // session uid → { browser, os, osVersion, device, mobile, ipAddress } of its sign-in

  const key = (model, id) => `${model}:${id}`;

  function isLive(uid) {
    const m = meta.get(uid);
    if (!m) return true;
    const t = now();
    return t - m.lastRefreshAtMs < ssoIdleS * 1000 && t - m.createdAtMs < ssoMaxS * 1000;
  }

  function get(model, id) {
    const k = key(model, id);
    const record = records.get(k);
    if (!record) return undefined;
    if (record.expiresAtMs <= now()) {
      remove(model, id);
      return undefined;
    }
    if (model === "Session" && !isLive(record.payload.uid)) {
      removeSession(record.payload.uid);
      return undefined;
    }
    return record.payload;
  }

  function remove(model, id) {
    const k = key(model, id);
    const record = records.get(k);
    if (!record) return;
    records.delete(k);
    const { payload } = record;
    if (payload.grantId) grantMembers.get(payload.grantId)?.delete(k);
    if (model === "Session" && sessionIdByUid.get(payload.uid) === id) {
      sessionIdByUid.delete(payload.uid);
    }
  }

  /** Removes a session and its indexes; returns its last payload (or undefined when already gone). */
  function removeSession(uid) {
    const id = sessionIdByUid.get(uid);
    const payload = id && records.get(key("Session", id))?.payload;
    if (id) remove("Session", id);
    meta.delete(uid);
    devices.delete(uid);
    for (const [sid, owner] of sessionUidBySid) if (owner === uid) sessionUidBySid.delete(sid);
    return payload;
  }

  function revokeGrant(grantId) {
    for (const k of grantMembers.get(grantId) ?? []) records.delete(k);
    grantMembers.delete(grantId);
    records.delete(key("Grant", grantId));
  }

  function indexSession(id, payload) {
    sessionIdByUid.set(payload.uid, id);
    for (const { sid } of Object.values(payload.authorizations ?? {})) {
      if (sid) sessionUidBySid.set(sid, payload.uid);
    }
    if (!payload.accountId) return;
    const m = meta.get(payload.uid);
    const t = now();
    if (!m || m.accountId !== payload.accountId) {
      meta.set(payload.uid, { accountId: payload.accountId, createdAtMs: t, lastRefreshAtMs: t });
    } else {
      // Any authentication (login or silent SSO) counts as activity, as in Keycloak.
      m.lastRefreshAtMs = t;
    }
  }

  class Adapter {
    constructor(model) {
      this.model = model;
    }

    async upsert(id, payload, expiresInS) {
      const k = key(this.model, id);
      const expiresAtMs = typeof expiresInS === "number" ? now() + expiresInS * 1000 : Infinity;
      records.set(k, { payload, expiresAtMs });
      if (GRANTABLE.has(this.model) && payload.grantId) {
        if (!grantMembers.has(payload.grantId)) grantMembers.set(payload.grantId, new Set());
        grantMembers.get(payload.grantId).add(k);
      }
      if (this.model === "Session") indexSession(id, payload);
    }

    async find(id) {
      return get(this.model, id);
    }

    async findByUid(uid) {
      const id = sessionIdByUid.get(uid);
      return id ? get("Session", id) : undefined;
    }

    async findByUserCode() {
      return undefined;
    }

    async consume(id) {
      const payload = get(this.model, id);
      if (payload) payload.consumed = Math.floor(now() / 1000);
    }

    async destroy(id) {
      if (this.model === "Session") {
        const payload = records.get(key("Session", id))?.payload;
        if (payload) {
          removeSession(payload.uid);
          return;
        }
      }
      remove(this.model, id);
    }

    async revokeByGrantId(grantId) {
      for (const k of [...(grantMembers.get(grantId) ?? [])]) {
        if (k.startsWith(`${this.model}:`)) {
          records.delete(k);
          grantMembers.get(grantId)?.delete(k);
        }
      }
    }
  }

  const sweep = setInterval(() => {
    const t = now();
    for (const [k, r] of records) if (r.expiresAtMs <= t) records.delete(k);
    for (const uid of meta.keys()) if (!isLive(uid)) removeSession(uid);
  }, SWEEP_INTERVAL_MS);
  sweep.unref();

  return {
    Adapter,
    /** Raw payload of a stored artefact (e.g. a RefreshToken by its opaque value), honouring expiry. */
    find: get,
    /** Session uid for a per-client `sid` as carried by ID tokens, if that session is live. */
    sessionUidForSid(sid) {
      const uid = sessionUidBySid.get(sid);
      return uid && this.liveSession(uid) ? uid : undefined;
    },
    /** Live session payload by uid. */
    liveSession(uid) {
      const id = sessionIdByUid.get(uid);
      return id ? get("Session", id) : undefined;
    },
    /** Marks activity (a refresh) on a session: resets the idle timer. */
    touch(uid) {
      const m = meta.get(uid);
      if (m) m.lastRefreshAtMs = now();
    },
    /** Records the browser, system and address a session signed in from (Keycloak's device activity). */
    recordDevice(uid, device) {
      devices.set(uid, device);
    },
    /** The device a session signed in from, if recorded. */
    device(uid) {
      return devices.get(uid);
    },
    /** Seconds until the session expires by idle or max lifetime, whichever comes first. */
    remainingS(uid) {
      const m = meta.get(uid);
      if (!m) return ssoIdleS;
      const t = now();
      const idle = ssoIdleS * 1000 - (t - m.lastRefreshAtMs);
      const max = ssoMaxS * 1000 - (t - m.createdAtMs);
      return Math.max(0, Math.ceil(Math.min(idle, max) / 1000));
    },
    /** Live sessions with their account and timestamps. */
    sessions() {
      return [...meta.keys()]
        .map((uid) => ({ uid, payload: this.liveSession(uid), meta: meta.get(uid) }))
        .filter((s) => s.payload && s.meta);
    },
    removeSession,
    revokeGrant,
    /** Stops the background sweep. */
    close() {
      clearInterval(sweep);
    },
  };
}
