import { expect, test } from "@playwright/test";
import { startApp, type AppServer } from "../testing/appServer.mjs";
import { signIn as signInOverHttp, signOut as signOutOverHttp } from "../testing/nextAuthClient.mjs";
import { USERS } from "../testing/users.mjs";
import { idp, stackAppEnv } from "./helpers";
import { STACK } from "./stack";

// The question users ask: "Keycloak was down when I signed out, then the server restarted: am I still signed in at
// Keycloak?" Instance E serves the sign-out while Keycloak's logout fails, then stops for good; instances A and B,
// sharing its Redis, must end the Keycloak session once Keycloak is back (first retry 5 s after the sign-out).

let appE: AppServer | undefined;
test.afterEach(async () => {
  await idp.clearFaults();
  await appE?.stop();
});

test("a sign-out that could not reach Keycloak is finished by another instance after the first one stopped", async () => {
  const redisUrl = process.env.E2E_REDIS_URL;
  expect(redisUrl, "the global setup exports the shared Redis").toBeTruthy();
  appE = await startApp({ url: STACK.appE, env: stackAppEnv(redisUrl) });

  const session = await signInOverHttp({ appUrl: STACK.appE, publicUrl: STACK.appA, user: USERS.alice });
  const sid = (await idp.sessionsOf("alice"))[0]?.sid;
  expect(sid).toBeTruthy();

  await test.step("sign out on E while Keycloak's logout answers 503: the app session ends, Keycloak's does not", async () => {
    await idp.setFault("logout", "status503");
    await signOutOverHttp(session, { appUrl: STACK.appE });
    expect((await idp.sessions()).some((s) => s.sid === sid)).toBe(true);
  });

  await test.step("stop E, heal Keycloak: A or B ends the Keycloak session within the retry schedule", async () => {
    await appE!.stop();
    appE = undefined;
    await idp.clearFaults();
    await expect
      .poll(async () => (await idp.sessions()).some((s) => s.sid === sid), { timeout: 20_000, intervals: [500] })
      .toBe(false);
  });
});
