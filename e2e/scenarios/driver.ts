import type { Page } from "@playwright/test";
import type { AppServer } from "../../testing/appServer.mjs";
import type { TestUser } from "../../testing/users.mjs";

/**
 * What a scenario needs of a stack, so that each scenario is written once (e2e/scenarios/) and run on the built-in
 * provider (e2e/driver.ts) and on a real Keycloak (e2e/keycloak/driver.ts). Scenarios only one stack can run stay
 * in that stack's spec files and say why.
 */
export interface StackDriver {
  /** The public URL (instance A: Keycloak's redirect and back-channel target) and a second instance sharing Redis. */
  appA: string;
  appB: string;
  /** /admin needs a password entered within this many seconds on this stack. */
  reauthMaxAgeS: number;
  /** The ids of the user's live sessions at the identity provider. */
  sessionIds(username: string): Promise<string[]>;
  /** Keycloak's admin "Sign out": ends every session of the user, with back-channel logouts to the app. */
  adminLogout(username: string): Promise<void>;
  /** The identity provider answers 503 everywhere until `heal`. */
  breakProvider(): Promise<void>;
  heal(): Promise<void>;
  /** How many back-channel logouts the app has accepted so far. */
  backchannelAccepted(): Promise<number>;
  /** Starts a further app instance behind the public URL, sharing the stack's Redis (stopped by the scenario). */
  startInstance(): Promise<AppServer>;
  /** Keycloak's logout cannot end the session until `heal` (the built-in provider: its logout answers 503; Keycloak: unreachable). */
  breakLogout(): Promise<void>;
  /** Answers the provider's password prompt (its login form, or Keycloak's re-authentication form). */
  answerLoginForm(page: Page, user: TestUser): Promise<void>;
}
