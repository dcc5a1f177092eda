import { builtInStack } from "./driver";
import { durableLogoutScenarios } from "./scenarios/durableLogout";

durableLogoutScenarios(builtInStack);
