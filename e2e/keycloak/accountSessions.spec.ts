import { accountSessionsScenarios } from "../scenarios/accountSessions";
import { KC_STACK } from "./stack";
import { admin, keycloakNetwork } from "./tier";

// Against Keycloak's own Account REST API: the realm must grant what the API needs (audience `account`, role
// manage-account), and Keycloak's back-channel logouts must reach the app.
accountSessionsScenarios({
  appA: KC_STACK.appA,
  appB: KC_STACK.appB,
  countSessions: async (username) => (await admin.sessionsOf(username)).length,
  endAll: async (username) => void (await admin.logoutUser(username)),
  breakProvider: () => keycloakNetwork("status503"),
  heal: () => keycloakNetwork("pass"),
});
