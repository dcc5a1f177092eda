import { setupServer } from "msw/node";
import { keycloakHandlers } from "./keycloak";

/** msw server for node-environment unit tests; unhandled requests fail the test. */
export const server = setupServer(...keycloakHandlers);
