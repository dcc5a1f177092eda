import http from "node:http";
import { idpControl } from "@/testing/idpControl.mjs";
import { setupIdp } from "@/testing/setupIdp";
import { login } from "@/testing/oidcClient.mjs";

const idp = setupIdp();

/** A raw request to the provider (fetch cannot set Host), with exactly these headers. */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: idp().port, method, path, headers: { host: `localhost:${idp().port}`, ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };

describe("control API (/_idp/*): only for local tools, never for a web page the developer visits", () => {
  it("answers a local tool: loopback Host, no Origin, JSON content type", async () => {
    for (const host of ["localhost", "127.0.0.1", "[::1]"]) {
      expect((await send("GET", "/_idp/sessions", { host: `${host}:${idp().port}` })).status).toBe(200);
    }
    expect(await send("POST", "/_idp/stats/reset", JSON_TYPE)).toMatchObject({ status: 200 });
    expect(await send("DELETE", "/_idp/faults", JSON_TYPE)).toEqual({ status: 200, json: { cleared: true } });
  });

  it.each([
    ["a foreign name (DNS rebinding)", (port: number) => `evil.example:${port}`],
    ["a name that merely starts with localhost", (port: number) => `localhost.evil.example:${port}`],
    ["another port", () => "localhost:1"],
    ["no port", () => "localhost"],
  ])("refuses a Host of %s with 403 naming the rule", async (_, host) => {
    const response = await send("GET", "/_idp/sessions", { host: host(idp().port) });
    expect(response).toEqual({ status: 403, json: { rule: "loopback-host", error: expect.stringContaining("Host") } });
  });

  it.each(["https://evil.example", "null", "http://localhost:1"])("refuses Origin %s with 403 naming the rule", async (origin) => {
    const response = await send("POST", "/_idp/users/alice/logout", { ...JSON_TYPE, origin });
    expect(response).toEqual({ status: 403, json: { rule: "same-origin", error: expect.stringContaining("Origin") } });
  });

  it("accepts the provider's own Origin", async () => {
    expect((await send("GET", "/_idp/sessions", { origin: `http://localhost:${idp().port}` })).status).toBe(200);
  });

  it.each([
    ["POST", "/_idp/users/alice/logout", {}],
    ["POST", "/_idp/users/alice/logout", { "content-type": "text/plain" }],
    ["POST", "/_idp/faults", { "content-type": "application/x-www-form-urlencoded" }],
    ["DELETE", "/_idp/faults", {}],
  ])("refuses %s %s with content type %j (a simple cross-site request) with 403 naming the rule", async (method, path, headers) => {
    const response = await send(method, path, headers, method === "POST" ? JSON.stringify({ endpoint: "all", mode: "hang" }) : undefined);
    expect(response).toEqual({ status: 403, json: { rule: "json-content-type", error: expect.stringContaining("application/json") } });
  });

  it("a refused request changes nothing: the session lives on and no fault is set", async () => {
    const { tokens } = await login({ issuer: idp().issuer });
    await send("POST", "/_idp/users/alice/logout", { origin: "https://evil.example" });
    await send("POST", "/_idp/users/alice/logout", {});
    await send("POST", "/_idp/faults", { "content-type": "text/plain" }, JSON.stringify({ endpoint: "all", mode: "hang" }));
    const sessions = (await send("GET", "/_idp/sessions", {})).json as { sid: string }[];
    expect(sessions.map((s) => s.sid)).toContain(tokens.session_state);
    expect((await send("GET", "/_idp/faults", {})).json).toEqual([]);
  });

  it("the toolkit's control client (testing/idpControl.mjs) passes every rule", async () => {
    const control = idpControl(idp().origin);
    await control.setFault("logout", "status503");
    await expect(control.clearFaults()).resolves.toEqual({ cleared: true });
    await expect(control.resetStats()).resolves.toMatchObject({ refreshGrants: 0 });
    await expect(control.logoutUser("alice")).resolves.toMatchObject({ ended: expect.any(Number) });
    await expect(control.sessions()).resolves.toEqual(expect.any(Array));
  });
});
