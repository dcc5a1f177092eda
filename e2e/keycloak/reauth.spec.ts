import { keycloakStack } from "./driver";
import { reauthScenarios } from "../scenarios/reauth";

reauthScenarios(keycloakStack);
