import { log } from "./log.mjs";

/** Ends and lists SSO sessions the Keycloak way: ending one revokes its grants and notifies the client. */
export function createSessions({ store, accounts, clientId, sendBackchannelLogout }) {
  const usernameOf = (accountId) => accounts.byId(accountId)?.username ?? accountId;

  /** Ends a session by uid; resolves after the back-channel attempt. False when it was already gone. */
  async function endSession(uid, { reason, backchannel = true }) {
    const payload = store.removeSession(uid);
    if (!payload) return false;
    const authorizations = Object.entries(payload.authorizations ?? {});
    for (const [, { grantId }] of authorizations) if (grantId) store.revokeGrant(grantId);
    log(`session ended (${reason}): user=${usernameOf(payload.accountId)}`);
    if (backchannel) {
      await Promise.all(
        authorizations
          .filter(([id, a]) => id === clientId && a.sid)
          .map(([, a]) => sendBackchannelLogout({ sub: payload.accountId, sid: a.sid })),
      );
    }
    return true;
  }

  return {
    endSession,
    /** Ends every session of a user, like Keycloak's admin "Sign out" on a user; returns how many. */
    async endUserSessions(username, reason) {
      const user = accounts.byUsername(username);
      if (!user) return undefined;
      const uids = store.sessions().filter((s) => s.payload.accountId === user.id).map((s) => s.uid);
      const ended = await Promise.all(uids.map((uid) => endSession(uid, { reason })));
      return ended.filter(Boolean).length;
    },
    /** Live sessions as the control API shows them; `sid` is the one in the client's tokens. */
    list() {
      return store.sessions().map(({ payload, meta }) => ({
        sid: payload.authorizations?.[clientId]?.sid ?? null,
        sub: payload.accountId,
        username: usernameOf(payload.accountId),
        createdAt: new Date(meta.createdAtMs).toISOString(),
        lastRefreshAt: new Date(meta.lastRefreshAtMs).toISOString(),
      }));
    },
  };
}
