import { http, HttpResponse } from "msw";
import { discover } from "@/lib/keycloak/discovery";
import { ISSUER, discoveryDocument } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { setupMswServer } from "@/testing/mswLifecycle";

setupMswServer();

/** Discovery answers 503 `failures` times, then the document; counts the fetches. */
function discoveryFailing(failures: number): { count: () => number } {
  let count = 0;
  server.use(
    http.get(`${ISSUER}/.well-known/openid-configuration`, () => {
      count += 1;
      return count <= failures ? new HttpResponse("down", { status: 503 }) : HttpResponse.json(discoveryDocument);
    }),
  );
  return { count: () => count };
}

describe("discover", () => {
  it("shares one fetch between concurrent callers", async () => {
    const fetches = discoveryFailing(0);
    await Promise.all(Array.from({ length: 20 }, () => discover(ISSUER)));
    expect(fetches.count()).toBe(1);
  });

  it("asks again at once after a failure for callers that do not reuse failures (sign-out, refresh)", async () => {
    const fetches = discoveryFailing(1);
    await expect(discover(ISSUER)).rejects.toMatchObject({ code: "DISCOVERY_FAILED" });
    await expect(discover(ISSUER)).resolves.toMatchObject({ issuer: ISSUER });
    expect(fetches.count()).toBe(2);
  });

  it("rethrows a recent failure without fetching for callers that ask for it", async () => {
    const fetches = discoveryFailing(1);
    await expect(discover(ISSUER, undefined, { reuseFailureForMs: 2000 })).rejects.toMatchObject({ code: "DISCOVERY_FAILED" });
    await expect(discover(ISSUER, undefined, { reuseFailureForMs: 2000 })).rejects.toMatchObject({ code: "DISCOVERY_FAILED" });
    expect(fetches.count()).toBe(1);
    // The same remembered failure does not hold back a caller that does not reuse failures.
    await expect(discover(ISSUER)).resolves.toMatchObject({ issuer: ISSUER });
    await expect(discover(ISSUER, undefined, { reuseFailureForMs: 2000 })).resolves.toMatchObject({ issuer: ISSUER });
    expect(fetches.count()).toBe(2);
  });

  it("asks the provider again with `fresh`, whatever is cached (the sign-in page's diagnosis)", async () => {
    const fetches = discoveryFailing(0);
    await discover(ISSUER);
    await discover(ISSUER);
    expect(fetches.count()).toBe(1);
    server.use(http.get(`${ISSUER}/.well-known/openid-configuration`, () => new HttpResponse("down", { status: 503 })));
    await expect(discover(ISSUER, undefined, { fresh: true })).rejects.toMatchObject({ code: "DISCOVERY_FAILED" });
  });
});
