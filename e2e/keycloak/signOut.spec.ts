import { signOutScenarios } from "../scenarios/signOut";
import { keycloakStack } from "./driver";

signOutScenarios(keycloakStack);
