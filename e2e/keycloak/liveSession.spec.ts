import { liveSessionScenarios } from "../scenarios/liveSession";
import { keycloakStack } from "./driver";

liveSessionScenarios(keycloakStack);
