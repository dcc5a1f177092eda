import { http, HttpResponse } from "msw";
import { ISSUER } from "@/mocks/keycloak";
import { createRealmKeys, logoutClaims, signLogoutToken, type RealmKeys } from "@/mocks/logoutTokens";
import { server } from "@/mocks/server";
import { captureLogs } from "@/testing/captureLogs";
import { setupMswServer } from "@/testing/mswLifecycle";
import { callApiRoute } from "@/testing/apiRoute";
import { createTestAuth } from "@/testing/testAuth";
import { createBackchannelLogoutRoute } from "@/pages/api/auth/backchannel-logout";

setupMswServer();

let realm: RealmKeys;
beforeAll(async () => {
  realm = await createRealmKeys();
});

const auth = createTestAuth();
const backchannelLogout = createBackchannelLogoutRoute(() => auth);

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const post = (chunks: string[], headers: Record<string, string> = FORM) =>
  callApiRoute(backchannelLogout, { method: "POST", headers, chunks });

/** Counts the requests msw sees for the issuer's discovery document, answering each with `answer`. */
function discoveryAnswering(answer: () => Response): { count: () => number } {
  let count = 0;
  server.use(
    http.get(`${ISSUER}/.well-known/openid-configuration`, () => {
      count += 1;
      return answer();
    }),
  );
  return { count: () => count };
}

describe("POST /api/auth/backchannel-logout", () => {
  describe("a body over 16 KB", () => {
    it("is answered 413 when its Content-Length says so, before it is read", async () => {
      const response = await post([], { ...FORM, "content-length": String(16 * 1024 + 1) });
      expect(response.status).toBe(413);
      expect(response.headers["cache-control"]).toBe("no-store");
    });

    it("is answered 413 when it arrives in chunks without a Content-Length", async () => {
      const chunk = "a".repeat(4096);
      const response = await post(["logout_token=", chunk, chunk, chunk, chunk, chunk]);
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toEqual({ error: "BODY_TOO_LARGE", message: "body too large" });
    });

    it("while a body of just under 16 KB is read (and refused for its token, 400)", async () => {
      const discovery = discoveryAnswering(() => HttpResponse.json({}));
      const response = await post([`logout_token=${"a".repeat(16 * 1024 - "logout_token=".length)}`]);
      expect(response.status).toBe(400);
      expect(discovery.count()).toBe(0);
    });
  });

  describe("against an issuer whose discovery answers 503", () => {
    // Each 503 is logged; these tests count requests, not lines.
    let logs: ReturnType<typeof captureLogs>;
    beforeEach(() => (logs = captureLogs()));
    afterEach(() => logs.restore());

    it("100 junk requests cause no discovery fetch: 400 each", async () => {
      const discovery = discoveryAnswering(() => new HttpResponse("down", { status: 503 }));
      const junk = ["logout_token=garbage", "logout_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA", "token=x"];
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => post([junk[i % junk.length]]).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([400]));
      expect(discovery.count()).toBe(0);
    });

    it("100 valid-looking requests, at once and one after another, cause one discovery fetch: 503 each", async () => {
      const discovery = discoveryAnswering(() => new HttpResponse("down", { status: 503 }));
      const form = async () => [`logout_token=${await signLogoutToken(logoutClaims(), realm.otherKey.privateKey)}`];
      const burst = await Promise.all(Array.from({ length: 50 }, async () => (await post(await form())).status));
      const sequential: number[] = [];
      for (let i = 0; i < 50; i++) sequential.push((await post(await form())).status);

      expect(new Set([...burst, ...sequential])).toEqual(new Set([503]));
      expect(discovery.count()).toBe(1);
    });

    it("asks again once the failure is 2 s old, and uses the healed issuer", async () => {
      const discovery = discoveryAnswering(() => new HttpResponse("down", { status: 503 }));
      const token = async () => [`logout_token=${await signLogoutToken(logoutClaims(), realm.otherKey.privateKey)}`];
      expect((await post(await token())).status).toBe(503);

      server.use(
        http.get(`${ISSUER}/.well-known/openid-configuration`, () =>
          HttpResponse.json({ issuer: ISSUER, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/certs` }),
        ),
        http.get(`${ISSUER}/certs`, () => HttpResponse.json({ keys: [] })),
      );
      expect((await post(await token())).status).toBe(503);
      const now = Date.now();
      const clock = jest.spyOn(Date, "now").mockReturnValue(now + 2001);
      try {
        // Keys now come from the healed issuer: the forged signature is refused (400), nothing is unavailable.
        expect((await post(await token())).status).toBe(400);
      } finally {
        clock.mockRestore();
      }
      expect(discovery.count()).toBe(1);
    });
  });
});
