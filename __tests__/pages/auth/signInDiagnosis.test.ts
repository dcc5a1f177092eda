import { http, HttpResponse } from "msw";
import { diagnoseSignIn } from "@/pages/auth/signin";
import { ISSUER } from "@/mocks/keycloak";
import { server } from "@/mocks/server";
import { setupMswServer } from "@/testing/mswLifecycle";

// The sign-in error page used to say "Keycloak did not answer" for every failure at the provider, also when a server
// answered "Realm does not exist". It now asks discovery once more and tells the cases apart.

setupMswServer();

const settings = { issuer: ISSUER, clientId: "nextjs-app", appUrl: "http://localhost:3000" };
const discovery = `${ISSUER}/.well-known/openid-configuration`;

describe("diagnoseSignIn", () => {
  it("tells a provider that did not answer", async () => {
    server.use(http.get(discovery, () => HttpResponse.error()));
    expect(await diagnoseSignIn("OAuthSignin", settings)).toEqual({ kind: "no-answer", issuer: ISSUER });
  });

  it("tells a server that answered but has no such realm (Keycloak's 404)", async () => {
    server.use(http.get(discovery, () => HttpResponse.json({ error: "Realm does not exist" }, { status: 404 })));
    expect(await diagnoseSignIn("OAuthSignin", settings)).toEqual({ kind: "realm-refused", issuer: ISSUER, realm: "nextjs", status: 404 });
  });

  it("tells a server that answered with another error", async () => {
    server.use(http.get(discovery, () => new HttpResponse(null, { status: 503 })));
    expect(await diagnoseSignIn("OAuthSignin", settings)).toEqual({ kind: "provider-error", issuer: ISSUER, status: 503 });
  });

  it("with discovery answering, points a failed callback at the client: id, secret and redirect URI", async () => {
    expect(await diagnoseSignIn("OAuthCallback", settings)).toEqual({
      kind: "client-refused",
      issuer: ISSUER,
      clientId: "nextjs-app",
      redirectUri: "http://localhost:3000/api/auth/callback/keycloak",
    });
  });

  it("has nothing to add for errors that are not Keycloak's, or a sign-in start that works again", async () => {
    expect(await diagnoseSignIn(undefined, settings)).toBeNull();
    expect(await diagnoseSignIn("AccessDenied", settings)).toBeNull();
    expect(await diagnoseSignIn("OAuthSignin", settings)).toBeNull();
  });
});
