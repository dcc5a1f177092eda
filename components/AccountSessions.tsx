import { useCallback, useEffect, useState } from "react";
import type { AccountSession } from "@/types/accountSession";

const when = (epochS: number) => (epochS ? new Date(epochS * 1000).toLocaleString() : "—");

async function messageOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return body.message ?? "Keycloak could not be reached. Nothing was changed; please try again in a moment.";
}

/**
 * "Your sessions": every Keycloak session of the user (this one marked), a "Sign out" for each other one, and
 * "Sign out everywhere", which ends all of them and this app session, then shows the signed-out home page.
 */
export function AccountSessions() {
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    const response = await fetch("/api/account/sessions");
    if (response.ok) {
      setSessions(((await response.json()) as { sessions: AccountSession[] }).sessions);
      setError(null);
    } else {
      setError(await messageOf(response));
    }
  }, []);

  useEffect(() => {
    // Loaded after the page renders: the list comes from Keycloak and must not delay the page.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the state is set when the fetch resolves
    void load();
  }, [load]);

  async function endOne(id: string) {
    setBusy(id);
    const response = await fetch(`/api/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
    setBusy(null);
    if (response.ok) await load();
    else setError(await messageOf(response));
  }

  async function endEverywhere() {
    setBusy("everywhere");
    const response = await fetch("/api/account/sign-out-everywhere", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    if (response.ok) {
      // A full load, not a client-side push: the header and the page must both read the session that just ended.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- see above
      window.location.assign("/");
      return;
    }
    setBusy(null);
    setError(await messageOf(response));
  }

  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Your sessions</h2>
      {error && <p role="alert">{error}</p>}
      {sessions === null && !error && <p>Loading your sessions…</p>}
      {sessions && (
        <ul className="sessions" aria-label="Your Keycloak sessions">
          {sessions.map((session) => (
            <li key={session.id}>
              <strong>
                {session.browser} on {session.device}
              </strong>
              {session.current && <> (this browser)</>}
              <br />
              IP {session.ipAddress || "—"} · started {when(session.startedAt)} · last active {when(session.lastAccessAt)}
              <br />
              Apps: {session.apps.length ? session.apps.join(", ") : "—"}
              {!session.current && (
                <>
                  <br />
                  <button
                    type="button"
                    disabled={busy !== null}
                    aria-busy={busy === session.id}
                    aria-label={`Sign out ${session.browser} on ${session.device}`}
                    onClick={() => void endOne(session.id)}
                  >
                    {busy === session.id ? "Signing out…" : "Sign out"}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="danger" disabled={busy !== null} aria-busy={busy === "everywhere"} onClick={() => void endEverywhere()}>
        {busy === "everywhere" ? "Signing out everywhere…" : "Sign out everywhere"}
      </button>
    </section>
  );
}
