/** Runs once when the server starts: the configuration is checked before any request is served. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkEnvOrExit } = await import("./lib/config/checkEnvOrExit");
    checkEnvOrExit();
    const { startProcessAuth } = await import("./lib/processAuth");
    await startProcessAuth();
  }
}
