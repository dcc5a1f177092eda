import { liveSessionScenarios } from "../scenarios/liveSession";
import { KC_STACK } from "./stack";
import { admin } from "./tier";

liveSessionScenarios({
  appA: KC_STACK.appA,
  appB: KC_STACK.appB,
  adminLogout: async (username) => void (await admin.logoutUser(username)),
});
