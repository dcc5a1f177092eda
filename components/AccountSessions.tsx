import { signIn } from "next-auth/react";
import { useCallback, useEffect, useState } from "react";
import type { AccountSession } from "@/types/accountSession";
import { BusyButton } from "./BusyButton";

const when = (epochS: number) => (epochS ? new Date(epochS * 1000).toLocaleString() : "—");

/** What an API route answered when it failed: its code and the message written for a person (lib/http/sendError.ts). */
interface Failure {
  code: string;
  message: string;
}

async function failureOf(response: Response): Promise<Failure> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  return {
    code: body.error ?? "KEYCLOAK_UNAVAILABLE",
    message: body.message ?? "Keycloak could not be reached. Nothing was changed; please try again in a moment.",
  };
}

/** A request that got no answer at all (offline, a proxy that reset the connection): nothing reached the app. */
const NETWORK_FAILURE: Failure = {
  code: "NETWORK",
  message: "The app could not be reached from this browser. Nothing was changed; check your connection and try again.",
};

/** fetch, with a request that never got an answer reported as a failure like any other. */
async function request(input: string, init?: RequestInit): Promise<{ response: Response } | { failure: Failure }> {
  try {
    return { response: await fetch(input, init) };
  } catch {
    return { failure: NETWORK_FAILURE };
  }
}

/** The page a sign out everywhere lands on, saying how many sessions it ended (pages/index.tsx reads it). */
export const SIGNED_OUT_EVERYWHERE_PARAM = "signedOutEverywhere";

/**
 * "Your sessions": every Keycloak session of the user as a card (browser, device, IP, started, last active, apps;
 * this device marked), "Sign out this device" for each other one, and "Sign out everywhere", confirmed first, which
 * ends all of them and this app session and reports how many on the signed-out home page.
 */
export function AccountSessions() {
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    const sent = await request("/api/account/sessions");
    if ("failure" in sent) return setFailure(sent.failure);
    const { response } = sent;
    if (response.ok) {
      setSessions(((await response.json()) as { sessions: AccountSession[] }).sessions);
      setFailure(null);
    } else {
      setFailure(await failureOf(response));
    }
  }, []);

  useEffect(() => {
    // Loaded after the page renders: the list comes from Keycloak and must not delay the page.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the state is set when the fetch resolves
    void load();
  }, [load]);

  async function endOne(id: string) {
    setBusy(id);
    const sent = await request(`/api/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
    setBusy(null);
    if ("failure" in sent) setFailure(sent.failure);
    else if (sent.response.ok) await load();
    else setFailure(await failureOf(sent.response));
  }

  async function endEverywhere() {
    setBusy("everywhere");
    const sent = await request("/api/account/sign-out-everywhere", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    if ("response" in sent && sent.response.ok) {
      // A full load, not a client-side push: the header and the page must both read the session that just ended.
      const count = String(sessions?.length ?? 0);
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- see above
      window.location.assign(`/?${new URLSearchParams({ [SIGNED_OUT_EVERYWHERE_PARAM]: count })}`);
      return;
    }
    setBusy(null);
    setConfirming(false);
    setFailure("failure" in sent ? sent.failure : await failureOf(sent.response));
  }

  const count = sessions?.length ?? 0;
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Your sessions</h2>
      {failure && (
        <div className="notice" role="alert">
          <p>{failure.message}</p>
          {failure.code === "SESSION_ENDED" && (
            <BusyButton className="primary" label="Sign in" busyLabel="Signing in…" action={() => signIn("keycloak")} />
          )}
        </div>
      )}
      {sessions === null && !failure && <p>Loading your sessions…</p>}
      {sessions && (
        <ul className="session-cards" aria-label="Your Keycloak sessions">
          {sessions.map((session) => (
            <li key={session.id} className="card session-card">
              <div className="session-card-title">
                <strong>
                  {session.browser} on {session.device}
                </strong>
                {session.current && <span className="badge">This device</span>}
              </div>
              <dl className="session-facts">
                <dt>IP</dt>
                <dd>{session.ipAddress || "—"}</dd>
                <dt>Started</dt>
                <dd>{when(session.startedAt)}</dd>
                <dt>Last active</dt>
                <dd>{when(session.lastAccessAt)}</dd>
                <dt>Apps</dt>
                <dd>{session.apps.length ? session.apps.join(", ") : "—"}</dd>
              </dl>
              {!session.current && (
                <button
                  type="button"
                  className="danger-outline"
                  disabled={busy !== null}
                  aria-busy={busy === session.id}
                  aria-label={`Sign out ${session.browser} on ${session.device}`}
                  onClick={() => void endOne(session.id)}
                >
                  {busy === session.id ? "Signing out…" : "Sign out this device"}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {confirming ? (
        <div className="card confirm" role="group" aria-labelledby="confirm-everywhere">
          <p id="confirm-everywhere">
            <strong>Sign out everywhere?</strong> This ends {count === 1 ? "your only session" : `all ${count} of your sessions`},
            this one included, in Keycloak and in every app that uses it.
          </p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy !== null} aria-busy={busy === "everywhere"} onClick={() => void endEverywhere()}>
              {busy === "everywhere" ? "Signing out everywhere…" : "Yes, sign out everywhere"}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="danger" disabled={busy !== null} onClick={() => setConfirming(true)}>
          Sign out everywhere
        </button>
      )}
    </section>
  );
}
