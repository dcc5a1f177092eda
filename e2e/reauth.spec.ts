import { builtInStack } from "./driver";
import { reauthScenarios } from "./scenarios/reauth";

reauthScenarios(builtInStack);
