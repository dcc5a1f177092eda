import { SECURITY_HEADERS } from "@/idp/http.mjs";
import { setupIdp } from "@/testing/setupIdp";

// The built-in provider's own security headers (idp/http.mjs); the app's are checked end to end (e2e/ui.spec.ts).
const idp = setupIdp();

describe("the built-in provider's responses", () => {
  it.each([
    ["discovery", "/realms/nextjs/.well-known/openid-configuration"],
    ["the login page's start (authorization endpoint)", "/realms/nextjs/protocol/openid-connect/auth?client_id=nextjs-app&response_type=code&scope=openid&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fapi%2Fauth%2Fcallback%2Fkeycloak"],
    ["a path it does not serve", "/nothing-here"],
  ])("carry the security headers: %s", async (_label, path) => {
    const response = await fetch(`${idp().origin}${path}`, { redirect: "manual" });
    const headers = Object.fromEntries(response.headers);
    expect(headers).toMatchObject(SECURITY_HEADERS);
  });
});
