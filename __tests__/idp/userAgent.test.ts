import { parseUserAgent } from "@/idp/userAgent.mjs";

// Keycloak's account sessions read the device from the sign-in request's User-Agent (ua-parser): "Chrome/126.0 on
// Linux", where the provider used to say "Other/Unknown on Other" for every browser.

describe("parseUserAgent", () => {
  it.each([
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome/126.0", "Linux", "Unknown"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.7339.16 Safari/537.36", "HeadlessChrome/140.0", "Linux", "Unknown"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87", "Edge/126.0", "Windows", "10"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari/17.5", "Mac OS X", "10.15.7"],
    ["Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox/128.0", "Linux", "Unknown"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome/126.0", "Android", "14"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari/17.5", "iOS", "17.5"],
  ])("%s → %s on %s %s", (header, browser, os, osVersion) => {
    expect(parseUserAgent(header)).toMatchObject({ browser, os, osVersion });
  });

  it("says Other/Unknown on Other, as Keycloak does, for a client it cannot name", () => {
    expect(parseUserAgent("node")).toEqual({ browser: "Other/Unknown", os: "Other", osVersion: "Unknown", device: "Other", mobile: false });
    expect(parseUserAgent(undefined).browser).toBe("Other/Unknown");
  });

  it("marks phones as mobile devices", () => {
    expect(parseUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1")).toMatchObject({ device: "iPhone", mobile: true });
  });
});
