import { setTimeout as delay } from "node:timers/promises";
import { sendHtml } from "./http.mjs";
import { log } from "./log.mjs";

const ENDPOINTS = new Set(["logout", "token", "auth", "discovery", "all"]);
const MODES = new Set(["hang", "status503", "reset", "slow"]);

/** Names the realm endpoint a realm-relative path belongs to, for fault matching. */
export function endpointOf(realmPath) {
  switch (realmPath) {
    case "/protocol/openid-connect/logout": return "logout";
    case "/protocol/openid-connect/token": return "token";
    case "/protocol/openid-connect/auth": return "auth";
    case "/.well-known/openid-configuration": return "discovery";
    default: return undefined;
  }
}

/** Injected failures for dev and tests: hang, reset, 503 or a delay on one realm endpoint. */
export function createFaults() {
  const faults = new Map();
  const hung = new Set();

  return {
    /** Validates and installs `{endpoint, mode, ms}`; throws with a message for a bad request. */
    set({ endpoint, mode, ms }) {
      if (!ENDPOINTS.has(endpoint)) throw new Error(`endpoint must be one of ${[...ENDPOINTS].join(", ")}`);
      if (!MODES.has(mode)) throw new Error(`mode must be one of ${[...MODES].join(", ")}`);
      if (mode === "slow" && !(Number.isInteger(ms) && ms >= 0)) throw new Error("ms must be a non-negative integer for mode slow");
      const fault = { endpoint, mode, ...(mode === "slow" ? { ms } : {}) };
      faults.set(endpoint, fault);
      log(`fault set: ${endpoint} ${mode}${mode === "slow" ? ` ${ms} ms` : ""}`);
      return fault;
    },
    /** Removes all faults and frees hung requests' sockets. */
    clear() {
      if (faults.size) log("faults cleared");
      faults.clear();
      for (const socket of hung) socket.destroy();
      hung.clear();
    },
    list: () => [...faults.values()],
    /** Applies a matching fault; true when the request has been dealt with (must not be answered). */
    async apply(endpoint, req, res) {
      const fault = (endpoint && faults.get(endpoint)) ?? faults.get("all");
      if (!fault) return false;
      switch (fault.mode) {
        case "slow":
          await delay(fault.ms);
          return false;
        case "status503":
          sendHtml(res, 503, "<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>");
          return true;
        case "reset":
          req.socket.destroy();
          return true;
        case "hang":
          hung.add(req.socket);
          req.socket.once("close", () => hung.delete(req.socket));
          return true;
        default:
          return false;
      }
    },
  };
}
