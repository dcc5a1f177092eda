import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NextApiRequest, NextApiResponse } from "next";
import type { Auth } from "@/lib/auth";
import { createMemoryStore } from "@/lib/store/memoryStore";
import { captureLogs } from "@/testing/captureLogs";
import { createTestAuth, signInForTest } from "@/testing/testAuth";
import { createEventsRoute } from "@/pages/api/auth/events";

// Two app instances over one store (the memory store's channel stands in for Redis pub/sub across instances).
const store = createMemoryStore();
const instanceA = createTestAuth({ store });
const instanceB = createTestAuth({ store });
let server: Server;
let origin: string;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  // A real HTTP server, since the route streams: instance B holds the browser's live channel.
  server = createServer((req, res) => {
    Object.assign(req, { query: {} });
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    Object.assign(res, { status: (code: number) => Object.assign(res, { statusCode: code, json: (b: unknown) => json(code, b) }) });
    void createEventsRoute(() => instanceB)(req as NextApiRequest, res as NextApiResponse);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

/** Opens the live channel with `cookie` and resolves with everything it said once it closed (or after `ms`). */
async function listen(cookie: string, whileOpen: () => Promise<void> = async () => undefined, ms = 3000): Promise<{ status: number; text: string; headers: Headers }> {
  const abort = AbortSignal.timeout(ms);
  const response = await fetch(`${origin}/api/auth/events`, { headers: { cookie }, signal: abort });
  const reader = response.body!.getReader();
  let text = "";
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      text += Buffer.from(value!).toString();
    }
  })();
  // Give the route its session read before the event happens.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await whileOpen();
  await reading;
  return { status: response.status, text, headers: response.headers };
}

const endedWith = (text: string) => /event: session-ended\ndata: (\{.*\})/.exec(text)?.[1];

describe("GET /api/auth/events (a browser's live channel)", () => {
  it("is an unbuffered event stream that tells, at once, a session signed out on another instance, and closes", async () => {
    const { cookie, token } = await signInForTest(instanceA);
    const started = Date.now();
    const { status, text, headers } = await listen(cookie, async () => {
      await instanceA.revocation.revoke({ sessionId: token.sessionId! }, "signed-out");
    });
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(headers.get("x-accel-buffering")).toBe("no");
    expect(headers.get("cache-control")).toBe("no-store");
    expect(JSON.parse(endedWith(text)!)).toEqual({ reason: "signed-out" });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it.each([
    ["signed-out-everywhere", (auth: Auth, token: { sub?: string }) => auth.revocation.revoke({ sub: token.sub! }, "signed-out-everywhere")],
    ["keycloak-logout", (auth: Auth, token: { sid?: string }) => auth.revocation.revoke({ sid: token.sid! }, "keycloak-logout")],
  ] as const)("says why: %s", async (reason, end) => {
    const { cookie, token } = await signInForTest(instanceA, { sub: `user-${reason}`, sid: `sid-${reason}` });
    const { text } = await listen(cookie, async () => void (await end(instanceA, token)));
    expect(JSON.parse(endedWith(text)!)).toEqual({ reason });
  });

  it("says nothing about another user's session", async () => {
    const { cookie } = await signInForTest(instanceA, { sub: "bob", sid: "sid-bob" });
    const other = await signInForTest(instanceA, { sub: "carol", sid: "sid-carol" });
    const { text } = await listen(cookie, async () => {
      await instanceA.revocation.revoke({ sessionId: other.token.sessionId! }, "signed-out");
      await instanceA.revocation.revoke({ sub: "carol" }, "signed-out-everywhere");
    }, 800);
    expect(endedWith(text)).toBeUndefined();
    expect(text).not.toMatch(/carol|sid-|eyJ/);
  });

  it("tells a browser whose cookie is already ended that it is signed out and why, one without a cookie only that, and closes", async () => {
    const { cookie, token } = await signInForTest(instanceA);
    await instanceA.revocation.revoke({ sessionId: token.sessionId! }, "signed-out");
    expect(JSON.parse(endedWith((await listen(cookie)).text)!)).toEqual({ reason: "signed-out" });
    expect(JSON.parse(endedWith((await listen("")).text)!)).toEqual({});
  });
});
