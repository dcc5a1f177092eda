import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin, rememberRealmSettings } from "./tier";

const alice = USERS.alice;
const ACCESS_TOKEN_LIFESPAN_S = 10;
let restoreRealm: () => Promise<void>;

test.beforeAll(async () => {
  restoreRealm = await rememberRealmSettings(["accessTokenLifespan", "revokeRefreshToken", "refreshTokenMaxReuse"]);
  // Short access tokens and single-use refresh tokens: a second refresh with a spent token would end the session.
  await admin.updateRealm({ accessTokenLifespan: ACCESS_TOKEN_LIFESPAN_S, revokeRefreshToken: true, refreshTokenMaxReuse: 0 });
  await admin.setEventsConfig({ eventsEnabled: true, enabledEventTypes: ["REFRESH_TOKEN", "REFRESH_TOKEN_ERROR", "CODE_TO_TOKEN"] });
  await admin.clearEvents();
});

test.afterAll(async () => {
  await restoreRealm?.();
  await admin.clearEvents();
  await admin.logoutUser(alice.username);
});

test("after access-token expiry, a burst of 20 requests over both instances performs one refresh at Keycloak", async ({ page }) => {
  await signIn(page, alice);
  const signedInAt = Date.now();
  // Nothing may read the session meanwhile: the burst must be the first reader of the expired token.
  await page.goto("about:blank");
  await expect
    .poll(() => Date.now() - signedInAt, { timeout: (ACCESS_TOKEN_LIFESPAN_S + 5) * 1000, intervals: [250] })
    .toBeGreaterThan(ACCESS_TOKEN_LIFESPAN_S * 1000 + 500);

  await test.step("20 concurrent session reads, alternating between instance A and B, all stay signed in", async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => page.request.get(`${i % 2 ? KC_STACK.appB : KC_STACK.appA}/api/auth/session`)),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(responses.map((response) => response.status())).toEqual(Array(20).fill(200));
    expect(bodies.map((body) => body.error ?? body.user?.email ?? "signed out")).toEqual(Array(20).fill(alice.email));
  });

  await test.step("Keycloak recorded exactly one refresh and no refused one", async () => {
    await expect.poll(async () => (await admin.events({ type: "REFRESH_TOKEN", user: alice.username })).length).toBe(1);
    expect(await admin.events({ type: "REFRESH_TOKEN_ERROR", user: alice.username })).toHaveLength(0);
  });

  await test.step("with single-use refresh tokens the session is still alive afterwards", async () => {
    await page.goto("/profile");
    await expect(page.getByText(alice.email)).toBeVisible();
  });
});
