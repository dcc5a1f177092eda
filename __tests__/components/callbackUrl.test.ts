import { safeCallbackUrl } from "@/components/callbackUrl";

const ORIGIN = "http://localhost:3101";

describe("safeCallbackUrl", () => {
  it("keeps a path of this app, with its query and fragment", () => {
    expect(safeCallbackUrl("/profile", ORIGIN)).toBe("/profile");
    expect(safeCallbackUrl("/admin?tab=1#x", ORIGIN)).toBe("/admin?tab=1#x");
  });

  it("reduces next-auth's absolute same-origin URL to its path", () => {
    expect(safeCallbackUrl("http://localhost:3101/profile", ORIGIN)).toBe("/profile");
    expect(safeCallbackUrl("http://localhost:3101/admin?tab=1", ORIGIN)).toBe("/admin?tab=1");
  });

  it.each([
    ["another origin", "https://evil.example/profile"],
    ["another port of this host", "http://localhost:3102/profile"],
    ["another scheme of this host", "https://localhost:3101/profile"],
    ["a protocol-relative URL", "//evil.example/"],
    ["a backslash protocol-relative URL", "/\\evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path without a slash", "profile"],
    ["nothing", undefined],
    ["a repeated parameter", ["/a", "/b"]],
  ])("gives / for %s", (_, value) => {
    expect(safeCallbackUrl(value, ORIGIN)).toBe("/");
  });

  it("gives / when the page's origin is not known (server rendering)", () => {
    expect(safeCallbackUrl("http://localhost:3101/profile", undefined)).toBe("/");
  });
});
