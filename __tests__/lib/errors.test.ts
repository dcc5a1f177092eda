import { AppError, httpStatusOf, isAppError } from "@/lib/errors";
import { SessionEndedError, isSessionEnded } from "@/lib/session/sessionEnded";

describe("AppError", () => {
  it("carries its code, the status it maps to, and its cause", () => {
    const cause = new Error("ECONNRESET");
    const error = new AppError("STORE_UNAVAILABLE", "Redis did not answer", { cause });
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE", status: 503, message: "Redis did not answer", cause });
    expect(httpStatusOf(error)).toBe(503);
    expect(httpStatusOf(new AppError("LOGOUT_TOKEN_INVALID", "bad"))).toBe(400);
    // Keycloak down is an outage like the store's: 503, not 502.
    expect(httpStatusOf(new AppError("KEYCLOAK_UNAVAILABLE", "down"))).toBe(503);
  });

  it("maps anything that is not an AppError to 500", () => {
    expect(httpStatusOf(new TypeError("bug"))).toBe(500);
    expect(httpStatusOf("thrown string")).toBe(500);
    expect(isAppError(new Error("plain"))).toBe(false);
    expect(isAppError(null)).toBe(false);
    expect(isAppError({ code: "STORE_UNAVAILABLE" })).toBe(false);
  });

  it("is recognised when thrown by another bundle's copy of the module (Next bundles pages and API routes apart)", () => {
    let Foreign!: typeof AppError;
    let ForeignEnded!: typeof SessionEndedError;
    jest.isolateModules(() => {
      ({ AppError: Foreign } = jest.requireActual<typeof import("@/lib/errors")>("@/lib/errors"));
      ({ SessionEndedError: ForeignEnded } = jest.requireActual<typeof import("@/lib/session/sessionEnded")>("@/lib/session/sessionEnded"));
    });
    const error = new Foreign("STORE_UNAVAILABLE", "Redis did not answer");
    expect(error).not.toBeInstanceOf(AppError);
    expect(isAppError(error, "STORE_UNAVAILABLE")).toBe(true);
    expect(isAppError(error, "SESSION_ENDED")).toBe(false);
    const ended = new ForeignEnded("keycloak-logout");
    expect(ended).not.toBeInstanceOf(SessionEndedError);
    expect(isSessionEnded(ended)).toBe(true);
    expect(ended.reason).toBe("keycloak-logout");
  });
});
