import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { idpControl } from "@/testing/idpControl.mjs";
import { startIdp, type IdpServer } from "@/testing/idpServer.mjs";
import { setupIdp } from "@/testing/setupIdp";
import { CookieJar, decodeJwt, login } from "@/testing/oidcClient.mjs";

// Keycloak's Account REST API for sessions, with the rules measured against Keycloak 26.4.7 and 26.7.5; the Keycloak
// tier asserts the same rules against the real server (e2e/keycloak/accountSessions.spec.ts).

const idp = setupIdp();

const json = (token: string) => ({ authorization: `Bearer ${token}`, accept: "application/json" });
const sessionsUrl = () => `${idp().issuer}/account/sessions`;
const signIn = async (username = "alice") => (await login({ issuer: idp().issuer, username, password: `${username}-password` })).tokens;

describe("the Account REST API for sessions", () => {
  it("lists the user's own sessions, the token's own one marked current, with this app's name", async () => {
    const first = await signIn();
    const second = await signIn();
    await signIn("admin");
    const response = await fetch(`${sessionsUrl()}/devices`, { headers: json(first.access_token) });
    expect(response.status).toBe(200);
    const sessions = (await response.json()).flatMap((device: { sessions: unknown[] }) => device.sessions);
    const ids = sessions.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([decodeJwt(first.id_token).payload.sid, decodeJwt(second.id_token).payload.sid]));
    expect(sessions.filter((s: { current?: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([decodeJwt(first.id_token).payload.sid]);
    expect(sessions[0].clients).toEqual([expect.objectContaining({ clientId: "nextjs-app", clientName: "Next.js app" })]);
    expect(sessions.every((s: { started: number; lastAccess: number; expires: number }) => s.started > 0 && s.expires > s.lastAccess)).toBe(true);
  });

  it("says which browser, system and address each session signed in from, as Keycloak does", async () => {
    const chromeOnLinux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
    /** A browser's cookie jar: every request it sends carries its User-Agent. */
    class BrowserJar extends CookieJar {
      fetch(url: string | URL, init: RequestInit = {}) {
        const headers = new Headers(init.headers);
        headers.set("user-agent", chromeOnLinux);
        return super.fetch(url, { ...init, headers });
      }
    }
    await idpControl(idp().origin).logoutUser("alice");
    const { tokens } = await login({ issuer: idp().issuer, jar: new BrowserJar() });
    const devices = await (await fetch(`${sessionsUrl()}/devices`, { headers: json(tokens.access_token) })).json();
    expect(devices).toEqual([expect.objectContaining({ os: "Linux", osVersion: "Unknown", current: true })]);
    expect(devices[0].sessions).toEqual([expect.objectContaining({ browser: "Chrome/126.0", ipAddress: "127.0.0.1", current: true })]);
  });

  it("ends one other session with DELETE …/{id} (204), and answers 204 for an unknown id too", async () => {
    const mine = await signIn();
    const other = await signIn();
    const otherSid = decodeJwt(other.id_token).payload.sid;
    expect((await fetch(`${sessionsUrl()}/${otherSid}`, { method: "DELETE", headers: json(mine.access_token) })).status).toBe(204);
    expect((await idpControl(idp().origin).sessions()).some((s: { sid: string }) => s.sid === otherSid)).toBe(false);
    expect((await fetch(`${sessionsUrl()}/no-such-session`, { method: "DELETE", headers: json(mine.access_token) })).status).toBe(204);
  });

  it("ends every session of the user with DELETE …?current=true; the token is then refused (401)", async () => {
    const mine = await signIn();
    await signIn();
    expect((await fetch(`${sessionsUrl()}?current=true`, { method: "DELETE", headers: json(mine.access_token) })).status).toBe(204);
    expect((await idpControl(idp().origin).sessions()).filter((s: { username: string }) => s.username === "alice")).toEqual([]);
    expect((await fetch(sessionsUrl(), { headers: json(mine.access_token) })).status).toBe(401);
  });

  it("refuses a garbage token (401) and a request that does not accept JSON (Keycloak's console answers it)", async () => {
    const mine = await signIn();
    expect((await fetch(sessionsUrl(), { headers: json("garbage") })).status).toBe(401);
    expect((await fetch(sessionsUrl(), { method: "DELETE", headers: { authorization: `Bearer ${mine.access_token}` } })).status).toBe(405);
  });
});

describe("a user without the account client's roles", () => {
  let bare: IdpServer;
  beforeAll(async () => {
    // The same realm with the `account` roles taken away: Keycloak then issues tokens without any audience.
    const realm = JSON.parse(readFileSync(path.resolve(__dirname, "../../keycloak/realm-nextjs.json"), "utf8"));
    for (const user of realm.users) delete user.clientRoles?.account;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "realm-")), "realm.json");
    writeFileSync(file, JSON.stringify(realm));
    bare = await startIdp({ env: { IDP_REALM_FILE: file } });
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it("gets a token without audience, which the Account API refuses with 401", async () => {
    const { tokens } = await login({ issuer: bare.issuer, username: "alice", password: "alice-password" });
    expect(decodeJwt(tokens.access_token).payload.aud).toBeUndefined();
    expect((await fetch(`${bare.issuer}/account/sessions`, { headers: json(tokens.access_token) })).status).toBe(401);
  });
});
