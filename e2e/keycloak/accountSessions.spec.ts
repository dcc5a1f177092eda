import { accountSessionsScenarios } from "../scenarios/accountSessions";
import { keycloakStack } from "./driver";

// Against Keycloak's own Account REST API: the realm must grant what the API needs (audience `account`, role
// manage-account), and Keycloak's back-channel logouts must reach the app.
accountSessionsScenarios(keycloakStack);
