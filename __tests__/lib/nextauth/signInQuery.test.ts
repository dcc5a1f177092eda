import { allowedSignInQuery } from "@/lib/nextauth/signInQuery";

describe("allowedSignInQuery", () => {
  it("drops every authorization parameter a sign-in request could smuggle in, prompt=none first", () => {
    const query = {
      nextauth: ["signin", "keycloak"],
      prompt: "none",
      login_hint: "victim",
      scope: "openid offline_access",
      redirect_uri: "https://evil.example/cb",
      kc_idp_hint: "other",
      acr_values: "0",
    };
    expect(allowedSignInQuery(query)).toEqual({ nextauth: ["signin", "keycloak"] });
  });

  it("keeps max_age as a whole number of seconds (re-authentication), which can only make Keycloak ask for the password", () => {
    expect(allowedSignInQuery({ nextauth: ["signin", "keycloak"], max_age: "300" })).toEqual({ nextauth: ["signin", "keycloak"], max_age: "300" });
    for (const maxAge of ["-1", "1e9", "300&prompt=none", "", ["1", "2"]]) {
      expect(allowedSignInQuery({ nextauth: ["signin", "keycloak"], max_age: maxAge })).toEqual({ nextauth: ["signin", "keycloak"] });
    }
  });
});
