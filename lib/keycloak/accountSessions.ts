import axios from "axios";
import type { AccountSession } from "@/types/accountSession";
import { AppError } from "../errors";

export type { AccountSession };

interface DeviceRepresentation {
  os?: string;
  osVersion?: string;
  device?: string;
  sessions?: SessionRepresentation[];
}

interface SessionRepresentation {
  id: string;
  ipAddress?: string;
  started?: number;
  lastAccess?: number;
  expires?: number;
  browser?: string;
  current?: boolean;
  clients?: { clientId?: string; clientName?: string }[];
}

const TIMEOUT_MS = 3000;

function failure(error: unknown, what: string): AppError {
  const status = axios.isAxiosError(error) ? error.response?.status : undefined;
  if (status === 401 || status === 403) {
    return new AppError("ACCOUNT_API_REFUSED", `Keycloak's Account API refused to ${what} (${status})`, { cause: error });
  }
  return new AppError("KEYCLOAK_UNAVAILABLE", `Keycloak's Account API could not ${what}${status ? ` (${status})` : ""}`, { cause: error });
}

const authorized = (accessToken: string) => ({
  headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
  signal: AbortSignal.timeout(TIMEOUT_MS),
  maxRedirects: 0,
});

/**
 * The user's Keycloak sessions from the Account REST API (`GET {issuer}/account/sessions/devices`), with the user's
 * own access token. Throws ACCOUNT_API_REFUSED (token lacks audience `account` or the role) or KEYCLOAK_UNAVAILABLE.
 */
export async function listAccountSessions(issuer: string, accessToken: string): Promise<AccountSession[]> {
  let devices: DeviceRepresentation[];
  try {
    devices = (await axios.get<DeviceRepresentation[]>(`${issuer}/account/sessions/devices`, authorized(accessToken))).data;
  } catch (error) {
    throw failure(error, "list the sessions");
  }
  if (!Array.isArray(devices)) throw new AppError("KEYCLOAK_UNAVAILABLE", "Keycloak's Account API answered no session list");
  return devices
    .flatMap((device) =>
      (device.sessions ?? []).map((session) => ({
        id: session.id,
        device: [device.os, device.osVersion && device.osVersion !== "Unknown" ? device.osVersion : "", device.device && device.device !== "Other" ? device.device : ""]
          .filter(Boolean)
          .join(" ") || "Unknown device",
        browser: session.browser ?? "Unknown browser",
        ipAddress: session.ipAddress ?? "",
        startedAt: session.started ?? 0,
        lastAccessAt: session.lastAccess ?? 0,
        expiresAt: session.expires ?? 0,
        current: session.current === true,
        apps: (session.clients ?? []).map((client) => client.clientName || client.clientId || "").filter(Boolean),
      })),
    )
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastAccessAt - a.lastAccessAt);
}

/** Ends one of the user's Keycloak sessions (`DELETE {issuer}/account/sessions/{id}`); Keycloak sends back-channel logout. */
export async function endAccountSession(issuer: string, accessToken: string, sessionId: string): Promise<void> {
  try {
    await axios.delete(`${issuer}/account/sessions/${encodeURIComponent(sessionId)}`, authorized(accessToken));
  } catch (error) {
    throw failure(error, "end that session");
  }
}

/** Ends every Keycloak session of the user, this one included (`DELETE {issuer}/account/sessions?current=true`). */
export async function endAllAccountSessions(issuer: string, accessToken: string): Promise<void> {
  try {
    await axios.delete(`${issuer}/account/sessions?current=true`, authorized(accessToken));
  } catch (error) {
    throw failure(error, "end your sessions");
  }
}
