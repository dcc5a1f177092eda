import { execFile } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { setupIdp } from "@/testing/setupIdp";
import { freePort } from "@/testing/process.mjs";
import { CLIENT } from "@/testing/users.mjs";

// `npm run dev` refuses, before `next dev` starts, what used to fail later and elsewhere: a taken port (the browser
// then landed on another program after sign-in), a realm nobody serves ("Keycloak did not answer"), and a bad
// variable (ENV_INVALID printed after Next's "Ready").

const DEV = path.resolve(__dirname, "../../scripts/dev.mjs");

// Each test starts `npm run dev`'s script as a process of its own (it compiles the env schema): more than jest's 5 s
// when the machine is busy.
jest.setTimeout(60_000);

async function runDev(env: Record<string, string>, args: string[] = []) {
  const base = {
    NEXTAUTH_SECRET: "dev-only-change-me-0123456789abcdef0123456789",
    KEYCLOAK_CLIENT_ID: CLIENT.id,
    KEYCLOAK_CLIENT_SECRET: CLIENT.secret,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DEV, ...args], {
      env: { NODE_ENV: "development", PATH: process.env.PATH ?? "", ...base, ...env },
      timeout: 30_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** A listener on a free port, as another program holding the app's port. */
async function holdPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const port = await freePort();
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const idp = setupIdp();

describe("npm run dev refuses to start", () => {
  it("when NEXTAUTH_URL's port is taken, naming what holds it and the two ways out", async () => {
    const held = await holdPort();
    try {
      const { code, output } = await runDev({ NEXTAUTH_URL: `http://localhost:${held.port}`, KEYCLOAK_ISSUER: idp().issuer });
      expect(code).toBe(1);
      expect(output).toContain(`port ${held.port} of NEXTAUTH_URL (http://localhost:${held.port}) is taken by pid ${process.pid}:`);
      expect(output).toContain("Either stop that program, or run the app on another port: npm run dev -- -p");
      expect(output).not.toContain("Ready");
    } finally {
      await held.close();
    }
  });

  it("moves NEXTAUTH_URL to the port given with -p, and checks that port", async () => {
    const held = await holdPort();
    try {
      const { code, output } = await runDev({ NEXTAUTH_URL: "http://localhost:3000", KEYCLOAK_ISSUER: idp().issuer }, ["-p", String(held.port)]);
      expect(output).toContain(`dev: NEXTAUTH_URL follows the port asked for: http://localhost:${held.port}`);
      expect(code).toBe(1);
      expect(output).toContain(`port ${held.port} of NEXTAUTH_URL`);
    } finally {
      await held.close();
    }
  });

  it("when a server answers at the issuer without its realm, naming the realm and the repository's one", async () => {
    const port = await freePort();
    const { code, output } = await runDev({ NEXTAUTH_URL: `http://localhost:${port}`, KEYCLOAK_ISSUER: `${idp().origin}/realms/myrealm` });
    expect(code).toBe(1);
    expect(output).toContain(`${idp().origin} answers, but not as realm "myrealm" (HTTP 404: Realm does not exist)`);
    expect(output).toContain('this repository\'s realm is "nextjs"');
  });

  it("when nothing answers and the built-in provider would serve another realm than the issuer names", async () => {
    const [appPort, idpPort] = [await freePort(), await freePort()];
    const { code, output } = await runDev({ NEXTAUTH_URL: `http://localhost:${appPort}`, KEYCLOAK_ISSUER: `http://localhost:${idpPort}/realms/myrealm` });
    expect(code).toBe(1);
    expect(output).toContain('KEYCLOAK_ISSUER names realm "myrealm"');
    expect(output).toContain(`Set KEYCLOAK_ISSUER=http://localhost:${idpPort}/realms/nextjs`);
    expect(output).not.toContain("starting the built-in identity provider");
  });

  it("with the app's own ENV_INVALID message, before anything starts", async () => {
    const { code, output } = await runDev({ NEXTAUTH_URL: "http://localhost:3000", KEYCLOAK_ISSUER: idp().issuer, NEXTAUTH_SECRET: "short" });
    expect(code).toBe(1);
    expect(output).toContain("[auth] ERROR ENV_INVALID NEXTAUTH_SECRET must be at least 32 characters");
    expect(output).not.toContain("identity provider");
  });
});
