// What Keycloak's account sessions say about a device, read from the User-Agent header of the sign-in request as
// Keycloak does with ua-parser: browser "Family/major.minor", operating system and its version, "Other" when unknown.

/** Browsers, most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const BROWSERS = [
  [/Edg(?:e|A|iOS)?\/(\d+)\.(\d+)/, "Edge"],
  [/OPR\/(\d+)\.(\d+)/, "Opera"],
  [/Firefox\/(\d+)\.(\d+)/, "Firefox"],
  [/HeadlessChrome\/(\d+)\.(\d+)/, "HeadlessChrome"],
  [/(?:Chrome|CriOS)\/(\d+)\.(\d+)/, "Chrome"],
  [/Version\/(\d+)\.(\d+)(?:\.\d+)? (?:Mobile\/\S+ )?Safari\//, "Safari"],
];

/** Operating systems, most specific first: Android also says "Linux", iOS also says "Mac OS X". */
const SYSTEMS = [
  [/Windows NT (\d+\.\d+)/, "Windows", (v) => ({ "10.0": "10", "6.3": "8.1", "6.2": "8", "6.1": "7" })[v] ?? v],
  [/(?:iPhone|iPad|iPod).*? OS (\d+)_(\d+)/, "iOS", (major, minor) => `${major}.${minor}`],
  [/Android (\d+(?:\.\d+)?)/, "Android", (v) => v],
  [/CrOS/, "Chrome OS", () => "Unknown"],
  [/Mac OS X (\d+)[_.](\d+)(?:[_.](\d+))?/, "Mac OS X", (...parts) => parts.filter(Boolean).join(".")],
  [/Linux/, "Linux", () => "Unknown"],
];

/**
 * @param {string | undefined} header the User-Agent request header
 * @returns {{ browser: string, os: string, osVersion: string, device: string, mobile: boolean }}
 */
export function parseUserAgent(header) {
  const ua = String(header ?? "");
  let browser = "Other/Unknown";
  for (const [pattern, family] of BROWSERS) {
    const match = pattern.exec(ua);
    if (match) {
      browser = `${family}/${match[1]}.${match[2]}`;
      break;
    }
  }
  let os = "Other";
  let osVersion = "Unknown";
  for (const [pattern, name, version] of SYSTEMS) {
    const match = pattern.exec(ua);
    if (match) {
      os = name;
      osVersion = version(...match.slice(1));
      break;
    }
  }
  const device = /iPhone/.test(ua) ? "iPhone" : /iPad/.test(ua) ? "iPad" : "Other";
  return { browser, os, osVersion, device, mobile: /Mobile|iPhone|Android/.test(ua) };
}

/**
 * The address Keycloak records for a session: the socket's peer, IPv4-mapped IPv6 written as IPv4.
 * @param {import("node:http").IncomingMessage} req
 */
export function clientAddress(req) {
  return String(req.socket?.remoteAddress ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}
