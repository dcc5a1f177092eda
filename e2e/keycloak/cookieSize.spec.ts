import { expect, test } from "@playwright/test";
import { USERS } from "../../testing/users.mjs";
import { signIn } from "../helpers";
import { KC_STACK } from "./stack";
import { admin } from "./tier";

const manyRoles = USERS.manyRoles;
// Browsers keep at most 4096 bytes of name and value per cookie (RFC 6265 §6.1); next-auth splits beyond that.
const MAX_COOKIE_BYTES = 4096;

test.beforeEach(async () => {
  await admin.logoutUser(manyRoles.username);
});

test("the session cookie of a user with 40 extra roles, holding Keycloak's real tokens, is one cookie under 4096 bytes", async ({ page, context }) => {
  await signIn(page, manyRoles);

  await test.step("all the roles reached the app", async () => {
    await page.goto("/profile");
    await expect(page.locator("dt:text-is('Realm roles') + dd")).toContainText("role-40");
  });

  await test.step("one session cookie, within the browser's limit", async () => {
    const cookies = (await context.cookies(KC_STACK.appA)).filter((cookie) => cookie.name.startsWith("next-auth.session-token"));
    expect(cookies.map((cookie) => cookie.name)).toEqual(["next-auth.session-token"]);
    const bytes = Buffer.byteLength(`${cookies[0].name}=${cookies[0].value}`);
    console.log(`session cookie of ${manyRoles.username} (${manyRoles.realmRoles.length} realm roles) with Keycloak's tokens: ${bytes} bytes`);
    expect(bytes).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
  });
});
