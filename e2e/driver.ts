import type { StackDriver } from "./scenarios/driver";
import { startApp } from "../testing/appServer.mjs";
import { idp, stackAppEnv, submitLoginForm } from "./helpers";
import { STACK } from "./stack";

/** The fast tier's stack for the shared scenarios: the built-in provider, driven through its control API. */
export const builtInStack: StackDriver = {
  appA: STACK.appA,
  appB: STACK.appB,
  reauthMaxAgeS: STACK.reauthMaxAgeS,
  sessionIds: async (username) => (await idp.sessionsOf(username)).map((session) => session.sid),
  adminLogout: async (username) => void (await idp.logoutUser(username)),
  breakProvider: async () => void (await idp.setFault("all", "status503")),
  heal: async () => void (await idp.clearFaults()),
  backchannelAccepted: async () => {
    const { backchannel } = await idp.stats();
    return backchannel.sent - backchannel.failed;
  },
  startInstance: async () => {
    const redisUrl = process.env.E2E_REDIS_URL;
    if (!redisUrl) throw new Error("E2E_REDIS_URL is not set: run the specs through playwright.config.ts");
    return startApp({ url: STACK.appE, env: stackAppEnv(redisUrl) });
  },
  breakLogout: async () => void (await idp.setFault("logout", "status503")),
  answerLoginForm: submitLoginForm,
};
