import { findLoginForm } from "@/testing/loginForm.mjs";

// The shape of Keycloak 26's login page (keycloak.v2 theme): an action with &amp; entities, attributes in any
// order, a hidden credentialId field.
const KEYCLOAK_PAGE = `<!DOCTYPE html><html><body>
<form id="kc-form-login" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;"
  action="http://localhost:8080/realms/nextjs/login-actions/authenticate?session_code=S&amp;execution=E&amp;client_id=nextjs-app&amp;tab_id=T&amp;client_data=eyJ0" method="post" novalidate="novalidate">
  <input id="username" name="username" value="" type="text" autocomplete="username" autofocus aria-invalid=""/>
  <input id="password" name="password" value="" type="password" autocomplete="current-password" aria-invalid=""/>
  <input type="hidden" id="id-hidden-input" name="credentialId" />
  <button class="pf-v5-c-button pf-m-primary pf-m-block" name="login" id="kc-login" type="submit">Sign In</button>
</form></body></html>`;

describe("findLoginForm", () => {
  it("finds Keycloak's form, decodes &amp; in its action and keeps its hidden fields", () => {
    const form = findLoginForm(KEYCLOAK_PAGE, "http://localhost:8080/realms/nextjs/protocol/openid-connect/auth?x=1");
    expect(form).toEqual({
      action: "http://localhost:8080/realms/nextjs/login-actions/authenticate?session_code=S&execution=E&client_id=nextjs-app&tab_id=T&client_data=eyJ0",
      fields: { credentialId: "" },
    });
    expect(new URL(form!.action).searchParams.get("execution")).toBe("E");
  });

  it("resolves a relative action against the page, as the built-in provider's is", () => {
    const html = `<form method="post" action="/realms/nextjs/login-actions/abc" id="kc-form-login"><input name="username"></form>`;
    expect(findLoginForm(html, "http://localhost:8180/realms/nextjs/login-actions/abc")?.action).toBe(
      "http://localhost:8180/realms/nextjs/login-actions/abc",
    );
  });

  it("ignores other forms, so an error or logout page is not mistaken for the login form", () => {
    const html = `<form id="kc-logout-confirm" action="/realms/nextjs/protocol/openid-connect/logout/confirm"></form>`;
    expect(findLoginForm(html, "http://localhost:8080/")).toBeUndefined();
  });
});
