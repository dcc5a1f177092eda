// @ts-check
// Who listens on a TCP port, for a message that names it: read from /proc on Linux (no packet sent), else unknown.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import net from "node:net";

/**
 * Socket inodes listening on `port` on any address, IPv4 or IPv6 (/proc/net/tcp: "local_address" is hex ip:port,
 * state 0A is LISTEN, column 10 the inode).
 * @param {number} port
 */
function listeningInodes(port) {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((file) => {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[1]?.endsWith(hexPort) && cols[3] === "0A")
      .map((cols) => cols[9]);
  });
}

/**
 * The process that owns one of these socket inodes: its pid and command line.
 * @param {string[]} inodes
 * @returns {{ pid: number, command: string } | undefined}
 */
function ownerOf(inodes) {
  const wanted = new Set(inodes.map((inode) => `socket:[${inode}]`));
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let fds = [];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = "";
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!wanted.has(target)) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      return { pid: Number(entry), command };
    }
  }
  return undefined;
}

/** @param {number} port @param {string} host */
function canListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Whether something listens on `port` (on any address: a browser may reach either of localhost's addresses), and
 * what, when that can be told: "pid 123: python3 -m http.server 3000".
 * @param {number} port
 * @param {string} [host] the address the caller would listen on, probed where /proc is missing
 * @returns {Promise<{ taken: false } | { taken: true, holder: string }>}
 */
export async function portHolder(port, host = "127.0.0.1") {
  const inodes = listeningInodes(port);
  if (inodes.length) {
    const owner = ownerOf(inodes);
    return { taken: true, holder: owner ? `pid ${owner.pid}: ${owner.command.slice(0, 160)}` : "another user's program" };
  }
  return (await canListen(port, host)) ? { taken: false } : { taken: true, holder: "another program" };
}
