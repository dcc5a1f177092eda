import { execFileSync } from "node:child_process";
import { expect, test, type BrowserContext } from "@playwright/test";
import { startApp, type AppServer } from "../testing/appServer.mjs";
import { startFaultProxy } from "../testing/faultProxy.mjs";
import { freePort } from "../testing/process.mjs";
import { sessionEndedNotice } from "../components/LiveSession";
import { sessionErrorMessage } from "../components/sessionErrorMessage";
import { USERS } from "../testing/users.mjs";
import { signIn, signInAgain, stackAppEnv } from "./helpers";
import { STACK } from "./stack";

// Instance D reaches the stack's Redis through a TCP fault proxy, so this spec can make Redis refuse D while the
// rest of the stack (and the sign-in through instance A) keeps working. The last step empties Redis itself
// (FLUSHALL, as a restart without persistence would): every session of the stack ends, which the specs after this
// one do not mind (each signs in afresh).

let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let appD: AppServer;
const redisPort = () => Number(new URL(process.env.E2E_REDIS_URL ?? "").port);

test.beforeAll(async () => {
  proxy = await startFaultProxy({ port: await freePort(), targetPort: redisPort() });
  appD = await startApp({ url: STACK.appD, env: stackAppEnv(`redis://127.0.0.1:${proxy.port}`) });
});
test.afterAll(async () => {
  if (process.env.E2E_SHOW_LOGS) console.log(appD?.output());
  await appD?.stop();
  await proxy?.stop();
});

/** The browser's session cookie, as a thief would copy it. */
async function copyOfSessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "next-auth.session-token");
  if (!cookie) throw new Error("no session cookie");
  return `${cookie.name}=${cookie.value}`;
}

const sessionOnD = async (cookie: string) => (await (await fetch(`${STACK.appD}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } };

test("when Redis is unreachable, sessions fail closed without losing the cookie, and come back with Redis", async ({ page, context }) => {
  await signIn(page, USERS.alice);
  await page.goto(`${STACK.appD}/profile`);
  await expect(page.getByText(USERS.alice.email)).toBeVisible();

  await test.step("Redis refuses: no user is shown, protected pages say the store is unavailable, the app stays up", async () => {
    await proxy.setMode("refuse");
    await page.goto(`${STACK.appD}/`);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(sessionErrorMessage("SessionUnavailable"));
    await expect(page.getByText(USERS.alice.email)).toHaveCount(0);
    const profile = await page.goto(`${STACK.appD}/profile`);
    expect(profile?.status()).toBe(200);
    await expect(page).toHaveURL(/\/auth\/signin\?.*error=SessionUnavailable/);
    expect((await context.cookies()).some((c) => c.name === "next-auth.session-token")).toBe(true);
    const userinfo = await page.request.get(`${STACK.appD}/api/keycloak/userinfo`);
    expect(userinfo.status()).toBe(503);
    expect(await userinfo.json()).toMatchObject({ error: "STORE_UNAVAILABLE" });
    expect(appD.output()).toMatch(/STORE_REDIS_UNAVAILABLE .*behaviour=fail-closed/);
  });

  await test.step("Redis answers again: the same cookie is signed in, with no new login", async () => {
    await proxy.setMode("pass");
    await expect.poll(async () => (await sessionOnD(await copyOfSessionCookie(context))).user?.email, { timeout: 10_000 }).toBe(USERS.alice.email);
  });
});

test("a sign-out while Redis refuses stays final: the instance keeps the revocation and writes it when Redis is back", async ({ page, context }) => {
  await signIn(page, USERS.alice);
  const saved = await copyOfSessionCookie(context);
  expect((await sessionOnD(saved)).user?.email).toBe(USERS.alice.email);

  await proxy.setMode("refuse");
  const csrf = (await (await page.request.get(`${STACK.appD}/api/auth/csrf`)).json()) as { csrfToken: string };
  const signOut = await page.request.post(`${STACK.appD}/api/auth/signout`, { form: { csrfToken: csrf.csrfToken, json: "true" } });
  expect(signOut.status()).toBe(200);
  expect(appD.output()).toMatch(/REVOCATION_KEPT /);
  expect(await sessionOnD(saved)).toEqual({});

  await proxy.setMode("pass");
  await test.step("once Redis answers, every instance refuses the saved cookie", async () => {
    await expect.poll(() => appD.output(), { timeout: 10_000 }).toMatch(/REVOCATION_WRITTEN /);
    for (const app of [STACK.appA, STACK.appB, STACK.appD]) {
      const session = await (await fetch(`${app}/api/auth/session`, { headers: { cookie: saved } })).json();
      expect(session, app).toEqual({});
    }
  });
});

test("when Redis loses its data, every session issued before ends: a signed-out cookie can never come back", async ({ page, context }) => {
  await signIn(page, USERS.alice);
  const saved = await copyOfSessionCookie(context);
  execFileSync("redis-cli", ["-p", String(redisPort()), "FLUSHALL"]);

  await test.step("the saved cookie is refused by every instance, and the open page says at once why it is signed out", async () => {
    for (const app of [STACK.appA, STACK.appB, STACK.appD]) {
      expect(await (await fetch(`${app}/api/auth/session`, { headers: { cookie: saved } })).json(), app).toEqual({});
    }
    // The page's live channel (components/LiveSession.tsx) hears of the reset without a click.
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(sessionEndedNotice("store-reset"));
    await page.goto(`${STACK.appA}/profile`);
    await expect(page).toHaveURL(/\/auth\/signin\?/);
  });

  await test.step("signing in again works", async () => {
    await signInAgain(page, USERS.alice);
  });
});
