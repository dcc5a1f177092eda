import { setupServer, type SetupServer } from "msw/node";
import { clearDiscoveryCache } from "@/lib/keycloak/discovery";
import { server } from "@/mocks/server";

/** Wires the msw server into a test file, as in mswjs/examples. */
export function setupMswServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    clearDiscoveryCache();
  });
  afterAll(() => server.close());
}

/**
 * An msw server for a component or page test (jsdom), with no handler until the test adds some. Actions that end
 * by leaving the page (signIn, signOut, a full load) hit jsdom's missing navigation: that one notice is muted.
 */
export function setupPageMswServer(): SetupServer {
  const pageServer = setupServer();
  beforeAll(() => {
    pageServer.listen({ onUnhandledRequest: "error" });
    const original = console.error;
    jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      if (String(args[0]).includes("Not implemented: navigation")) return;
      original(...args);
    });
  });
  afterEach(() => pageServer.resetHandlers());
  afterAll(() => pageServer.close());
  return pageServer;
}
