import { startIdp, type IdpServer } from "./idpServer.mjs";

/** The built-in provider for a whole test file: started before its first test, stopped after its last. */
export function setupIdp(): () => IdpServer {
  let idp: IdpServer | undefined;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(async () => {
    await idp?.stop();
  });
  return () => {
    if (!idp) throw new Error("the built-in provider is not started yet (setupIdp starts it in beforeAll)");
    return idp;
  };
}
