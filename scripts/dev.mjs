// `npm run dev`: makes sure there is a configuration and an identity provider, then runs `next dev`.
// - No .env.local and no .env: copies .env.example to .env.local (its values fit the built-in provider).
// - KEYCLOAK_ISSUER answers discovery: that Keycloak is used as it is.
// - It points at localhost and nothing answers: the built-in identity provider (idp/) is started there.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nextEnv from "@next/env";

const root = fileURLToPath(new URL("..", import.meta.url));

if (!existsSync(`${root}.env.local`) && !existsSync(`${root}.env`)) {
  copyFileSync(`${root}.env.example`, `${root}.env.local`);
  console.log("dev: created .env.local from .env.example");
}
nextEnv.loadEnvConfig(root, true, { info() {}, error: console.error });

const issuer = process.env.KEYCLOAK_ISSUER?.replace(/\/+$/, "");
if (!issuer) {
  console.error("dev: KEYCLOAK_ISSUER is missing. Set it in .env.local (see .env.example).");
  process.exit(1);
}

async function answersDiscovery(url) {
  try {
    const response = await fetch(`${url}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(1500) });
    return response.ok;
  } catch {
    return false;
  }
}

function startIdp(issuerUrl) {
  const { hostname, port } = new URL(issuerUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}idp/server.mjs`], {
      // The IdP sends back-channel logout to this app, wherever NEXTAUTH_URL says it runs.
      env: { ...process.env, IDP_PORT: port || "80", ...(process.env.NEXTAUTH_URL && { IDP_APP_URL: process.env.NEXTAUTH_URL }) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(() => reject(new Error("the built-in identity provider did not start within 15 s")), 15_000);
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      if (String(chunk).includes("idp: ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`the built-in identity provider exited (${code}) on ${hostname}:${port}`)));
  });
}

let idp;
if (await answersDiscovery(issuer)) {
  console.log(`dev: using the identity provider at ${issuer}`);
} else if (["localhost", "127.0.0.1"].includes(new URL(issuer).hostname)) {
  console.log(`dev: nothing answers at ${issuer}; starting the built-in identity provider`);
  idp = await startIdp(issuer);
} else {
  console.error(`dev: ${issuer} does not answer discovery. Start that Keycloak, or point KEYCLOAK_ISSUER at localhost.`);
  process.exit(1);
}

const next = spawn(process.execPath, [`${root}node_modules/next/dist/bin/next`, "dev", ...process.argv.slice(2)], {
  stdio: "inherit",
});
const stop = () => {
  next.kill("SIGTERM");
  idp?.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
next.on("exit", (code) => {
  idp?.kill("SIGTERM");
  process.exit(code ?? 0);
});
