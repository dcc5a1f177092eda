// Local Keycloak stand-in for development and tests. Run: node idp/server.mjs (see idp/README.md).
import http from "node:http";
import { createIdp } from "./app.mjs";
import { loadConfig } from "./config.mjs";
import { log } from "./log.mjs";

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`idp: configuration error: ${err.message}\n`);
  process.exit(1);
}

const idp = createIdp(config);
const server = http.createServer((req, res) => idp.handle(req, res));

server.on("error", (err) => {
  process.stderr.write(`idp: cannot listen on ${config.host}:${config.port}: ${err.message}\n`);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  log(`realm "${config.realmName}" from ${config.realmFile}; access token ${config.accessTokenTtlS} s, ` +
    `SSO idle ${config.ssoIdleS} s, max ${config.ssoMaxS} s, refresh token rotation ${config.revokeRefreshToken ? "on" : "off"}`);
  log(`back-channel logout URL: ${config.client.backchannelLogoutUrl ?? "(none)"}`);
  log(`ready at ${config.issuer}`);
});

function stop(signal) {
  log(`${signal}: stopping`);
  idp.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
}

process.once("SIGTERM", () => stop("SIGTERM"));
process.once("SIGINT", () => stop("SIGINT"));
