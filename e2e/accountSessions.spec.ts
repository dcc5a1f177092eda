import { builtInStack } from "./driver";
import { accountSessionsScenarios } from "./scenarios/accountSessions";

accountSessionsScenarios(builtInStack);
