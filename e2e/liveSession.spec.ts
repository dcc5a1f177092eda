import { builtInStack } from "./driver";
import { liveSessionScenarios } from "./scenarios/liveSession";

liveSessionScenarios(builtInStack);
