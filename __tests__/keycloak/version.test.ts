import { readFileSync } from "node:fs";
import path from "node:path";
import { keycloakVersions } from "@/testing/keycloak.mjs";

const compose = readFileSync(path.resolve(__dirname, "../../docker-compose.yml"), "utf8");

describe("the pinned Keycloak version", () => {
  it("is what docker-compose.yml runs, so Docker users get the version the tests ran against", () => {
    const images = [...compose.matchAll(/image:\s*quay\.io\/keycloak\/keycloak:(\S+)/g)].map((m) => m[1]);
    expect(images).toEqual([keycloakVersions().pinned]);
  });

  it("is a 26.x release no older than the oldest supported one", () => {
    const { pinned, oldest } = keycloakVersions();
    const parts = (v: string) => v.split(".").map(Number);
    expect(pinned).toMatch(/^26\.\d+\.\d+$/);
    expect(oldest).toMatch(/^26\.\d+\.\d+$/);
    const [p, o] = [parts(pinned), parts(oldest)];
    expect(p[1] * 1000 + p[2]).toBeGreaterThanOrEqual(o[1] * 1000 + o[2]);
  });
});
