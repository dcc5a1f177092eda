import { durableLogoutScenarios } from "../scenarios/durableLogout";
import { keycloakStack } from "./driver";

durableLogoutScenarios(keycloakStack);
