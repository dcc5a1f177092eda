import { idp } from "./helpers";
import { accountSessionsScenarios } from "./scenarios/accountSessions";
import { STACK } from "./stack";

accountSessionsScenarios({
  appA: STACK.appA,
  appB: STACK.appB,
  countSessions: (username) => idp.countSessions(username),
  endAll: async (username) => void (await idp.logoutUser(username)),
  breakProvider: async () => void (await idp.setFault("all", "status503")),
  heal: async () => void (await idp.clearFaults()),
});
