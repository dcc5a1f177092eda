import { execFile } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { setupIdp } from "@/testing/setupIdp";
import { freePort } from "@/testing/process.mjs";

// `npm run keycloak` used to say only "port 8080 is in use" when run twice or beside `npm run dev`'s provider. It now
// says what answers there, before it downloads or starts anything.

const SCRIPT = path.resolve(__dirname, "../../scripts/keycloak.mjs");
// Each test starts the script as a process of its own (Node's start-up plus the probes): more than jest's 5 s when
// the machine is busy.
jest.setTimeout(30_000);

async function runKeycloakScript(port: number) {
  try {
    await promisify(execFile)(process.execPath, [SCRIPT], { env: { ...process.env, KEYCLOAK_PORT: String(port) }, timeout: 30_000 });
    return { code: 0, output: "" };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const idp = setupIdp();

describe("npm run keycloak on a port that is taken", () => {
  it("recognises the built-in identity provider and says how to go on", async () => {
    const { code, output } = await runKeycloakScript(idp().port);
    expect(code).toBe(1);
    expect(output).toContain(`the built-in identity provider answers on port ${idp().port}`);
    expect(output).toContain(`KEYCLOAK_PORT=${idp().port + 1} npm run keycloak`);
    expect(output).not.toContain("downloading");
  });

  it("names another program by its process", async () => {
    const port = await freePort();
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.end();
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    try {
      const { code, output } = await runKeycloakScript(port);
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} is taken by pid ${process.pid}:`);
    } finally {
      // close() waits for every connection: the probes' half-closed ones are ended here.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
