import { recordingResponse } from "@/testing/recordingResponse";
import type { IncomingMessage } from "node:http";
import { clearReauthMarker, markReauthRequired, reauthRequiredSince } from "@/lib/nextauth/reauthMarker";

/** When the failed logout happened (epoch s): the mark's value. */
const MARK_S = 1_700_000_000;

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;


const attributes = (cookie: string) => cookie.split(";").map((part) => part.trim());

describe("re-authentication marker", () => {
  describe("on http", () => {
    it("is required since the time the browser sends in kc-reauth", () => {
      expect(reauthRequiredSince(request(`next-auth.csrf-token=x; kc-reauth=${MARK_S}`), false)).toBe(MARK_S);
    });

    it("is not required without the cookie, or with only an unset one", () => {
      expect(reauthRequiredSince(request(), false)).toBeNull();
      expect(reauthRequiredSince(request("kc-reauth=0"), false)).toBeNull();
      expect(reauthRequiredSince(request("kc-reauth="), false)).toBeNull();
      expect(reauthRequiredSince(request("kc-reauth=soon"), false)).toBeNull();
      expect(reauthRequiredSince(request(`xkc-reauth=${MARK_S}; kc-reauth-other=${MARK_S}`), false)).toBeNull();
    });

    it("cannot be switched off by a look-alike planted on a narrower path (sent first): any set occurrence wins", () => {
      expect(reauthRequiredSince(request(`kc-reauth=0; kc-reauth=${MARK_S}`), false)).toBe(MARK_S);
      expect(reauthRequiredSince(request(`kc-reauth=; next-auth.session-token=abc; kc-reauth=${MARK_S}`), false)).toBe(MARK_S);
    });

    it("cannot be moved back in time by a look-alike: the latest mark wins, in either order", () => {
      expect(reauthRequiredSince(request(`kc-reauth=1; kc-reauth=${MARK_S}`), false)).toBe(MARK_S);
      expect(reauthRequiredSince(request(`kc-reauth=${MARK_S}; kc-reauth=1`), false)).toBe(MARK_S);
    });
  });

  describe("on https", () => {
    it("reads only the __Host- cookie, which another origin cannot set", () => {
      expect(reauthRequiredSince(request(`__Host-kc-reauth=${MARK_S}`), true)).toBe(MARK_S);
      expect(reauthRequiredSince(request(`kc-reauth=${MARK_S}`), true)).toBeNull();
    });

    it("marks with a __Host- cookie: Secure, Path=/, no Domain, HttpOnly, SameSite=Lax, 10 h", () => {
      const res = recordingResponse();
      markReauthRequired(res, true, MARK_S);
      const [cookie] = res.cookies();
      expect(attributes(cookie)).toEqual(
        expect.arrayContaining([`__Host-kc-reauth=${MARK_S}`, "Path=/", "Max-Age=36000", "HttpOnly", "SameSite=Lax", "Secure"]),
      );
      expect(cookie).not.toMatch(/Domain=/i);
    });

    it("clears the same __Host- cookie", () => {
      const res = recordingResponse();
      clearReauthMarker(res, true);
      expect(attributes(res.cookies()[0])).toEqual(expect.arrayContaining(["__Host-kc-reauth=", "Path=/", "Max-Age=0", "Secure"]));
    });
  });

  it("on http marks kc-reauth=<when> for the whole site, without Secure", () => {
    const res = recordingResponse();
    markReauthRequired(res, false, MARK_S);
    const [cookie] = res.cookies();
    expect(attributes(cookie)).toEqual(expect.arrayContaining([`kc-reauth=${MARK_S}`, "Path=/", "Max-Age=36000", "HttpOnly", "SameSite=Lax"]));
    expect(cookie).not.toMatch(/Secure/);
  });

  it("keeps the Set-Cookie headers next-auth already wrote", () => {
    const res = recordingResponse();
    res.setHeader("Set-Cookie", ["next-auth.session-token=; Max-Age=0"]);
    markReauthRequired(res, false, MARK_S);
    expect(res.cookies()).toEqual(["next-auth.session-token=; Max-Age=0", expect.stringMatching(new RegExp(`^kc-reauth=${MARK_S};`))]);
  });
});
