// Starts the built-in IdP (idp/server.mjs) as a child process for jest and Playwright.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "./freePort";

/** A running IdP child process. */
export interface StartedIdp {
  /** Issuer, e.g. http://localhost:51234/realms/nextjs (what KEYCLOAK_ISSUER should be). */
  issuer: string;
  /** Origin of the IdP, for the /_idp/ control API. */
  origin: string;
  port: number;
  /** Everything the IdP printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM and resolves when the process has exited. */
  stop(): Promise<void>;
}

/** Options for startIdp. */
export interface StartIdpOptions {
  /** Extra IDP_* variables, e.g. { IDP_ACCESS_TOKEN_TTL_S: "5", IDP_APP_URL: "http://localhost:3100" }. */
  env?: Record<string, string>;
  /** Port to listen on; a free one by default. */
  port?: number;
  /** How long to wait for the ready line; 10 s by default. */
  timeoutMs?: number;
}

const SERVER = path.resolve(__dirname, "..", "idp", "server.mjs");


/** Starts `node idp/server.mjs` and resolves once it prints "idp: ready at <issuer>". */
export async function startIdp(options: StartIdpOptions = {}): Promise<StartedIdp> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [SERVER], {
    env: { ...process.env, ...options.env, IDP_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`IdP not ready after ${options.timeoutMs ?? 10_000} ms:\n${output}`)), options.timeoutMs ?? 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /idp: ready at (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`IdP exited with code ${code}:\n${output}`));
    });
  });

  return {
    issuer,
    origin: new URL(issuer).origin,
    port,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
