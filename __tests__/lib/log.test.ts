import { log } from "@/lib/log";
import { captureLogs } from "@/testing/captureLogs";

describe("log", () => {
  it("writes one line: prefix, level, code and quoted facts", () => {
    const logs = captureLogs();
    log.warn("KEYCLOAK_LOGOUT_FAILED", { reason: "TIMEOUT", ms: 3001, note: "a b" });
    logs.restore();
    expect(logs.lines()).toEqual(['[auth] WARN KEYCLOAK_LOGOUT_FAILED reason=TIMEOUT ms=3001 note="a b"']);
  });

  it("cannot be made to forge a second line through a crafted code or fact (next-auth relays browser log calls)", () => {
    const logs = captureLogs();
    log.error("NEXTAUTH_X\n[auth] INFO KEYCLOAK_LOGOUT_OK", { message: "x\n[auth] INFO FORGED" });
    logs.restore();
    expect(logs.lines()).toHaveLength(1);
    expect(logs.lines()[0]).not.toContain("\n");
    expect(logs.lines()[0]).toMatch(/^\[auth\] ERROR UNEXPECTED_CODE message="x\\n\[auth\] INFO FORGED"$/);
  });
});

describe("log masks token-shaped values", () => {
  it("never writes a JWT, even when an error message quotes one", () => {
    const logs = captureLogs();
    log.error("SOMETHING_FAILED", { message: "bad token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln in request" });
    logs.restore();
    expect(logs.lines()[0]).toBe('[auth] ERROR SOMETHING_FAILED message="bad token [jwt] in request"');
  });
});
