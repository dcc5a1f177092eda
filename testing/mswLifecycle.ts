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
