import { expect, test } from "@playwright/test";
import { startApp, type AppServer } from "../testing/appServer.mjs";
import { startRedis, type RedisServer } from "../testing/redis.mjs";
import { sessionErrorMessage } from "../components/sessionErrorMessage";
import { USERS } from "../testing/users.mjs";
import { signIn, stackAppEnv } from "./helpers";
import { STACK } from "./stack";

// Instance D has a Redis of its own, which this spec stops and starts again.

let redis: RedisServer;
let appD: AppServer;
test.beforeAll(async () => {
  redis = await startRedis();
  appD = await startApp({ url: STACK.appD, env: stackAppEnv(redis.url) });
});
test.afterAll(async () => {
  if (process.env.E2E_SHOW_LOGS) console.log(appD?.output());
  await appD?.stop();
  await redis?.stop();
});

test("when Redis is unreachable, sessions fail closed without losing the cookie, and come back with Redis", async ({ page, context }) => {
  await signIn(page, USERS.alice);
  await page.goto(`${STACK.appD}/profile`);
  await expect(page.getByText(USERS.alice.email)).toBeVisible();

  await test.step("Redis stops: no user is shown, protected pages ask to sign in, the app stays up", async () => {
    await redis.stop();
    await page.goto(`${STACK.appD}/`);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(sessionErrorMessage("SessionUnavailable"));
    await expect(page.getByText(USERS.alice.email)).toHaveCount(0);
    const profile = await page.goto(`${STACK.appD}/profile`);
    expect(profile?.status()).toBe(200);
    await expect(page).toHaveURL(/\/auth\/signin\?.*error=SessionUnavailable/);
    expect((await context.cookies()).some((c) => c.name === "next-auth.session-token")).toBe(true);
    expect(appD.output()).toMatch(/STORE_REDIS_UNAVAILABLE .*behaviour=fail-closed/);
  });

  await test.step("Redis is back (empty): the same cookie signs the user in again, with no new login", async () => {
    redis = await startRedis({ port: redis.port });
    await expect
      .poll(async () => (await (await page.request.get(`${STACK.appD}/api/auth/session`)).json()).user?.email, { timeout: 10_000 })
      .toBe(USERS.alice.email);
    await page.goto(`${STACK.appD}/profile`);
    await expect(page.getByText("user", { exact: true })).toBeVisible();
    await expect(page.getByText("viewer", { exact: true })).toBeVisible();
  });
});
