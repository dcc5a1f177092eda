import { captureLogs } from "@/testing/captureLogs";
import { callApiRoute } from "@/testing/apiRoute";
import { createTestAuth } from "@/testing/testAuth";
import { createNextAuthRoute } from "@/pages/api/auth/[...nextauth]";

describe("/api/auth/_log (next-auth's browser-to-server log relay)", () => {
  it("answers 204 and writes nothing to the server log, whatever a page posts", async () => {
    const testAuth = createTestAuth();
    const auth = createNextAuthRoute(() => testAuth);
    const logs = captureLogs();
    const answers: { status: number; body: string }[] = [];
    try {
      for (const level of ["error", "warn", "debug"]) {
        const response = await callApiRoute(auth, {
          method: "POST",
          query: { nextauth: ["_log"] },
          headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
          // What a cross-site form would send: a line identical to a real one, and one of the attacker's own.
          body: { code: level === "error" ? "FROM_EVIL_PAGE" : "SESSION_ENDED", level, reason: "BACKCHANNEL_LOGOUT" },
        });
        answers.push({ status: response.status, body: response.body });
      }
      expect(logs.lines()).toEqual([]);
      expect(answers).toEqual(Array(3).fill({ status: 204, body: "" }));
    } finally {
      logs.restore();
    }
  });
});
