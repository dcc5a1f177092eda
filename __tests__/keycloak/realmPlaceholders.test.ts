import { readFileSync } from "node:fs";
import path from "node:path";
import { realmEnv } from "@/testing/keycloak.mjs";

// Every variable the realm file reads must be set by each way of starting Keycloak, or a start there would
// import the file's default (the app on localhost:3000) without anyone noticing.
const root = path.resolve(__dirname, "../..");
const realmText = readFileSync(path.join(root, "keycloak/realm-nextjs.json"), "utf8");
const compose = readFileSync(path.join(root, "docker-compose.yml"), "utf8");
const variables = [...new Set([...realmText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))].sort();

describe("realm placeholders", () => {
  it("are the app URL and the back-channel logout URL", () => {
    expect(variables).toEqual(["NEXTJS_APP_URL", "NEXTJS_BACKCHANNEL_LOGOUT_URL"]);
  });

  it("each carry a default, since Keycloak imports an unset ${NAME} as that literal text", () => {
    expect(realmText).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/);
  });

  it("are all set by docker-compose.yml, with back-channel logout to the host", () => {
    const set = Object.fromEntries([...compose.matchAll(/^\s+(NEXTJS_[A-Z_]+):\s*(\S+)/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(set).sort()).toEqual(variables);
    expect(set.NEXTJS_BACKCHANNEL_LOGOUT_URL).toBe("http://host.docker.internal:3000/api/auth/backchannel-logout");
  });

  it("are all set by the native runner, the back-channel URL following the app unless given", () => {
    expect(realmEnv({ appUrl: "http://localhost:3100/" })).toEqual({
      NEXTJS_APP_URL: "http://localhost:3100",
      NEXTJS_BACKCHANNEL_LOGOUT_URL: "http://localhost:3100/api/auth/backchannel-logout",
    });
    expect(realmEnv({ appUrl: "http://localhost:3100", backchannelUrl: "http://127.0.0.1:4000/bc" }).NEXTJS_BACKCHANNEL_LOGOUT_URL).toBe("http://127.0.0.1:4000/bc");
    expect(Object.keys(realmEnv({ appUrl: "http://localhost:3000" })).sort()).toEqual(variables);
  });

  it("refuses an app URL that is not absolute, naming the option", () => {
    expect(() => realmEnv({ appUrl: "localhost:3000" })).toThrow(/appUrl must be an absolute http\(s\) URL/);
  });
});
