import type { StackDriver } from "../scenarios/driver";
import { appEnv, startApp } from "../../testing/appServer.mjs";
import { KC_STACK } from "./stack";
import { admin, answerLoginForm, appLogCount, keycloakNetwork } from "./tier";

/** The Keycloak tier's stack for the shared scenarios: Keycloak's admin REST API and the fault proxy. */
export const keycloakStack: StackDriver = {
  appA: KC_STACK.appA,
  appB: KC_STACK.appB,
  reauthMaxAgeS: KC_STACK.reauthMaxAgeS,
  sessionIds: async (username) => (await admin.sessionsOf(username)).map((session: { id: string }) => session.id),
  adminLogout: (username) => admin.logoutUser(username),
  breakProvider: () => keycloakNetwork("status503"),
  heal: () => keycloakNetwork("pass"),
  backchannelAccepted: async () => appLogCount("BACKCHANNEL_LOGOUT_ACCEPTED"),
  startInstance: async () => {
    const redisUrl = process.env[KC_STACK.redisUrlEnv];
    if (!redisUrl) throw new Error(`${KC_STACK.redisUrlEnv} is not set: run the specs through playwright.keycloak.config.ts`);
    return startApp({
      url: KC_STACK.appC,
      distDir: KC_STACK.distDir,
      env: appEnv({
        publicUrl: KC_STACK.appA,
        issuer: KC_STACK.issuer,
        secret: KC_STACK.nextAuthSecret,
        redisUrl,
        logoutTimeoutMs: KC_STACK.logoutTimeoutMs,
        refreshWaitMs: KC_STACK.refreshWaitMs,
      }),
    });
  },
  breakLogout: () => keycloakNetwork("refuse"),
  answerLoginForm,
};
