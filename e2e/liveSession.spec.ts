import { idp } from "./helpers";
import { liveSessionScenarios } from "./scenarios/liveSession";
import { STACK } from "./stack";

liveSessionScenarios({
  appA: STACK.appA,
  appB: STACK.appB,
  adminLogout: async (username) => void (await idp.logoutUser(username)),
});
