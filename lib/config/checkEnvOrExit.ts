import { EnvError, getEnv } from "./env";

/** Stops the process with a message naming every bad variable when the configuration is missing or malformed. */
export function checkEnvOrExit(): void {
  try {
    getEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`[auth] ERROR ENV_INVALID ${error.message}`);
    process.exit(1);
  }
}
