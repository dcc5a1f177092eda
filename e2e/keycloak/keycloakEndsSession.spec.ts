import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin, appCookieHeader, appLogCount, rememberRealmSettings, sessionWithCookie } from "./tier";

const alice = USERS.alice;
const APPS = [KC_STACK.appA, KC_STACK.appB];

test.beforeEach(async () => {
  await admin.logoutUser(alice.username);
});

test("Keycloak's admin 'sign out' of the user ends the app session on both instances at their next request", async ({ page, context }) => {
  await signIn(page, alice);
  // A copy of the browser's cookie, replayed on each instance: neither may accept it once Keycloak ended the session.
  const cookie = await appCookieHeader(context);
  for (const app of APPS) expect((await sessionWithCookie(app, cookie)).user?.email).toBe(alice.email);

  const backchannelBefore = appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED");
  await test.step("an administrator signs alice out in Keycloak", async () => {
    await admin.logoutUser(alice.username);
    await expect.poll(() => appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED")).toBe(backchannelBefore + 1);
  });

  await test.step("both instances refuse the session at the next request", async () => {
    for (const app of APPS) expect(await sessionWithCookie(app, cookie)).toEqual({});
    await page.goto(`${KC_STACK.appB}/`);
    await expect(page.getByText("You are signed out.")).toBeVisible();
  });
});

test.describe("a session Keycloak ends without a back-channel call", () => {
  // Long enough that the app has no reason to refresh before the session is deleted.
  const ACCESS_TOKEN_LIFESPAN_S = 15;
  let restoreRealm: () => Promise<void>;
  let restoreClient: () => Promise<void>;

  test.beforeEach(async () => {
    restoreRealm = await rememberRealmSettings(["accessTokenLifespan"]);
    await admin.updateRealm({ accessTokenLifespan: ACCESS_TOKEN_LIFESPAN_S });
    // Keycloak sends back-channel logout even for an admin's session delete; without a URL it cannot, as when an
    // SSO session expires (keycloak#25171).
    const client = await admin.clientByClientId("nextjs-app");
    const attributes = { ...client.attributes };
    await admin.updateClient({ ...client, attributes: { ...attributes, "backchannel.logout.url": "" } });
    restoreClient = () => admin.updateClient({ ...client, attributes });
  });

  test.afterEach(async () => {
    await restoreClient?.();
    await restoreRealm?.();
  });

  test("ends the app session at its next refresh, on both instances", async ({ page, context }) => {
    await signIn(page, alice);
    const signedInAt = Date.now();
    await page.goto("about:blank");
    const cookie = await appCookieHeader(context);

    const backchannelBefore = appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED");
    await test.step("Keycloak deletes the session, and no back-channel call reaches the app", async () => {
      const [session] = await admin.sessionsOf(alice.username);
      await admin.deleteSession(session.id);
      expect(await admin.sessionsOf(alice.username)).toHaveLength(0);
    });

    await test.step("until its next refresh the app cannot know: the session still reads as signed in", async () => {
      expect((await sessionWithCookie(KC_STACK.appA, cookie)).user?.email).toBe(alice.email);
      expect(appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED")).toBe(backchannelBefore);
    });

    await test.step("once the access token is due, the refresh is refused and both instances end the session", async () => {
      await expect
        .poll(() => Date.now() - signedInAt, { timeout: (ACCESS_TOKEN_LIFESPAN_S + 5) * 1000, intervals: [250] })
        .toBeGreaterThan(ACCESS_TOKEN_LIFESPAN_S * 1000 + 500);
      for (const app of APPS) expect(await sessionWithCookie(app, cookie)).toEqual({});
      await page.goto(`${KC_STACK.appB}/profile`);
      await expect(page).toHaveURL(/\/auth\/signin/);
    });
  });
});
