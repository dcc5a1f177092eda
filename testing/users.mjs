// @ts-check
// The test users, read from the realm file that both Keycloak and the built-in provider import, so tests,
// the benchmark and the realm can never disagree about a password or a role. Only users are read here:
// the file's URLs may be `${ENV}` placeholders.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The realm import file (keycloak/realm-nextjs.json). */
export const REALM_FILE = fileURLToPath(new URL("../keycloak/realm-nextjs.json", import.meta.url));

const CLIENT_ID = "nextjs-app";

/**
 * A user as a test needs it: how to sign in, and what the app should show.
 * @typedef {{
 *   username: string,
 *   password: string,
 *   name: string,
 *   email: string,
 *   realmRoles: string[],
 *   clientRoles: string[],
 * }} TestUser
 */

/**
 * @typedef {{ username: string, firstName?: string, lastName?: string, email?: string, enabled?: boolean,
 *   realmRoles?: string[], clientRoles?: Record<string, string[]>, credentials?: { type: string, value: string }[] }} RealmUser
 */

const realm = /** @type {{ realm: string, users?: RealmUser[], clients?: { clientId: string, secret?: string }[] }} */ (
  JSON.parse(readFileSync(REALM_FILE, "utf8"))
);

/** The realm's name, the last segment of its issuer (…/realms/<name>). */
export const REALM_NAME = realm.realm;

/** The app's confidential client in the realm: what KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET are set to. */
export const CLIENT = Object.freeze({
  id: CLIENT_ID,
  secret: realm.clients?.find((c) => c.clientId === CLIENT_ID)?.secret ?? "",
});

/** @returns {Map<string, TestUser>} */
function readUsers() {
  const users = new Map();
  for (const user of realm.users ?? []) {
    const password = user.credentials?.find((c) => c.type === "password")?.value;
    if (user.enabled === false || !password) continue;
    users.set(user.username, {
      username: user.username,
      password,
      // What Keycloak puts in the `name` claim, and so what the app shows.
      name: [user.firstName, user.lastName].filter(Boolean).join(" "),
      email: user.email ?? "",
      realmRoles: user.realmRoles ?? [],
      clientRoles: user.clientRoles?.[CLIENT_ID] ?? [],
    });
  }
  return users;
}

const byUsername = readUsers();

/**
 * The enabled realm user `username`; throws naming the realm file when it has no such user with a password.
 * @param {string} username
 * @returns {TestUser}
 */
export function testUser(username) {
  const user = byUsername.get(username);
  if (!user) throw new Error(`no enabled user "${username}" with a password in ${REALM_FILE}`);
  return user;
}

/** The users the specs and the benchmark sign in as. */
export const USERS = Object.freeze({
  /** Realm role `user`, client role `viewer`. */
  alice: testUser("alice"),
  /** Realm roles `user` and `admin`. */
  admin: testUser("admin"),
  /** Realm role `user` and 40 more: the largest session cookie. */
  manyRoles: testUser("many-roles"),
});
