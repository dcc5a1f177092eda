import type { IncomingMessage, ServerResponse } from "node:http";
import { clearReauthMarker, isReauthRequired, markReauthRequired } from "@/lib/nextauth/reauthMarker";

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;

/** A response that only records its headers. */
function response(): ServerResponse & { cookies: () => string[] } {
  const headers = new Map<string, unknown>();
  return {
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    cookies: () => (headers.get("set-cookie") as string[] | undefined) ?? [],
  } as unknown as ServerResponse & { cookies: () => string[] };
}

const attributes = (cookie: string) => cookie.split(";").map((part) => part.trim());

describe("re-authentication marker", () => {
  describe("on http", () => {
    it("is required when the browser sends kc-reauth=1", () => {
      expect(isReauthRequired(request("next-auth.csrf-token=x; kc-reauth=1"), false)).toBe(true);
    });

    it("is not required without the cookie, or with only an unset one", () => {
      expect(isReauthRequired(request(), false)).toBe(false);
      expect(isReauthRequired(request("kc-reauth=0"), false)).toBe(false);
      expect(isReauthRequired(request("kc-reauth="), false)).toBe(false);
      expect(isReauthRequired(request("xkc-reauth=1; kc-reauth-other=1"), false)).toBe(false);
    });

    it("cannot be switched off by a look-alike planted on a narrower path (sent first): any set occurrence wins", () => {
      expect(isReauthRequired(request("kc-reauth=0; kc-reauth=1"), false)).toBe(true);
      expect(isReauthRequired(request("kc-reauth=; next-auth.session-token=abc; kc-reauth=1"), false)).toBe(true);
    });
  });

  describe("on https", () => {
    it("reads only the __Host- cookie, which another origin cannot set", () => {
      expect(isReauthRequired(request("__Host-kc-reauth=1"), true)).toBe(true);
      expect(isReauthRequired(request("kc-reauth=1"), true)).toBe(false);
    });

    it("marks with a __Host- cookie: Secure, Path=/, no Domain, HttpOnly, SameSite=Lax, 10 h", () => {
      const res = response();
      markReauthRequired(res, true);
      const [cookie] = res.cookies();
      expect(attributes(cookie)).toEqual(
        expect.arrayContaining(["__Host-kc-reauth=1", "Path=/", "Max-Age=36000", "HttpOnly", "SameSite=Lax", "Secure"]),
      );
      expect(cookie).not.toMatch(/Domain=/i);
    });

    it("clears the same __Host- cookie", () => {
      const res = response();
      clearReauthMarker(res, true);
      expect(attributes(res.cookies()[0])).toEqual(expect.arrayContaining(["__Host-kc-reauth=", "Path=/", "Max-Age=0", "Secure"]));
    });
  });

  it("on http marks kc-reauth=1 for the whole site, without Secure", () => {
    const res = response();
    markReauthRequired(res, false);
    const [cookie] = res.cookies();
    expect(attributes(cookie)).toEqual(expect.arrayContaining(["kc-reauth=1", "Path=/", "Max-Age=36000", "HttpOnly", "SameSite=Lax"]));
    expect(cookie).not.toMatch(/Secure/);
  });

  it("keeps the Set-Cookie headers next-auth already wrote", () => {
    const res = response();
    res.setHeader("Set-Cookie", ["next-auth.session-token=; Max-Age=0"]);
    markReauthRequired(res, false);
    expect(res.cookies()).toEqual(["next-auth.session-token=; Max-Age=0", expect.stringMatching(/^kc-reauth=1;/)]);
  });
});
