import { CookieJar } from "@/testing/cookieJar.mjs";

const APP = "http://localhost:3101";

describe("CookieJar", () => {
  it("sends a host's cookies to every port of that host, as browsers do, and to no other host", () => {
    const jar = new CookieJar();
    jar.setCookie(`${APP}/api/auth/callback/keycloak`, "next-auth.session-token=abc; Path=/; HttpOnly; SameSite=Lax");
    expect(jar.header("http://localhost:3102/api/auth/session")).toBe("next-auth.session-token=abc");
    expect(jar.header("http://127.0.0.1:3101/api/auth/session")).toBe("");
  });

  it("keeps Keycloak's realm-path cookies to that path", () => {
    const jar = new CookieJar();
    const page = "http://localhost:8080/realms/nextjs/protocol/openid-connect/auth?client_id=x";
    jar.setCookie(page, "AUTH_SESSION_ID=s1.node; Version=1; Path=/realms/nextjs/; SameSite=None; Secure; HttpOnly");
    jar.setCookie(page, "KC_RESTART=r1; Version=1; Path=/realms/nextjs/; HttpOnly");
    expect(jar.header("http://localhost:8080/realms/nextjs/login-actions/authenticate?x=1")).toBe("AUTH_SESSION_ID=s1.node; KC_RESTART=r1");
    jar.setCookie(page, "KEYCLOAK_SESSION=k1; Path=/realms/nextjs");
    expect(jar.get("KEYCLOAK_SESSION", "http://localhost:8080/realms/nextjs")).toBe("k1");
    expect(jar.header("http://localhost:8080/realms/nextjsother/")).toBe("");
    expect(jar.header("http://localhost:8080/admin/")).toBe("");
  });

  it("defaults the path to the directory of the request, and sends longer paths first", () => {
    const jar = new CookieJar();
    jar.setCookie("http://localhost/a/b/page", "deep=1");
    jar.setCookie("http://localhost/", "root=1; Path=/");
    expect(jar.header("http://localhost/a/b/other")).toBe("deep=1; root=1");
    expect(jar.header("http://localhost/a/")).toBe("root=1");
  });

  it("deletes a cookie on Max-Age=0 or a past Expires, and lets Max-Age win over Expires", () => {
    const jar = new CookieJar();
    jar.setCookie(APP, "a=1; Path=/");
    jar.setCookie(APP, "b=1; Path=/");
    jar.setCookie(APP, "c=1; Path=/; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    jar.setCookie(APP, "a=; Path=/; Max-Age=0");
    jar.setCookie(APP, "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    expect(jar.header(APP)).toBe("c=1");
  });

  it("honours Domain for subdomains and refuses a Domain of another site", () => {
    const jar = new CookieJar();
    jar.setCookie("http://auth.example.test/", "shared=1; Domain=.example.test; Path=/");
    jar.setCookie("http://auth.example.test/", "foreign=1; Domain=evil.test; Path=/");
    expect(jar.get("shared", "http://app.example.test/")).toBe("1");
    expect(jar.header("http://evil.test/")).toBe("");
  });
});
