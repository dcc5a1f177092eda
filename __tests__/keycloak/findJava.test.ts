import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findJava, parseMajor } from "@/testing/keycloak.mjs";

let jvmDir: string;

/** A fake JDK: bin/java and a release file, as Debian's and Temurin's packages have. */
function jdk(name: string, version: string) {
  const home = path.join(jvmDir, name);
  mkdirSync(path.join(home, "bin"), { recursive: true });
  writeFileSync(path.join(home, "bin", "java"), "#!/bin/sh\n", { mode: 0o755 });
  writeFileSync(path.join(home, "release"), `IMPLEMENTOR="test"\nJAVA_VERSION="${version}"\n`);
  return home;
}

const noPathJava = () => undefined;

beforeEach(() => {
  jvmDir = mkdtempSync(path.join(os.tmpdir(), "jvm-"));
});
afterEach(() => rmSync(jvmDir, { recursive: true, force: true }));

describe("findJava", () => {
  it("prefers the newest JDK of 17 or later in the JVM folder", () => {
    jdk("java-11-openjdk-amd64", "11.0.22");
    jdk("java-17-openjdk-amd64", "17.0.15");
    const temurin = jdk("temurin-25-jdk-amd64", "25.0.1");
    expect(findJava({ env: {}, jvmDir, pathJava: noPathJava })).toEqual({ javaHome: temurin, major: 25, source: "jvmDir" });
  });

  it("counts a symlinked alias of a JDK once", () => {
    const openjdk = jdk("java-17-openjdk-amd64", "17.0.15");
    symlinkSync(openjdk, path.join(jvmDir, "java-1.17.0-openjdk-amd64"));
    expect(findJava({ env: {}, jvmDir, pathJava: noPathJava }).major).toBe(17);
  });

  it("takes JAVA_HOME over any newer JDK in the folder", () => {
    jdk("temurin-25-jdk-amd64", "25.0.1");
    const chosen = jdk("java-17-openjdk-amd64", "17.0.15");
    expect(findJava({ env: { JAVA_HOME: chosen }, jvmDir, pathJava: noPathJava })).toEqual({ javaHome: chosen, major: 17, source: "JAVA_HOME" });
  });

  it("refuses a JAVA_HOME older than 17, naming it", () => {
    const old = jdk("java-11-openjdk-amd64", "11.0.22");
    expect(() => findJava({ env: { JAVA_HOME: old }, jvmDir, pathJava: noPathJava })).toThrow(`JAVA_HOME=${old} is Java 11`);
  });

  it("refuses a JAVA_HOME that holds no java", () => {
    expect(() => findJava({ env: { JAVA_HOME: path.join(jvmDir, "nothing") }, jvmDir, pathJava: noPathJava })).toThrow(/has no bin\/java/);
  });

  it("falls back to java on PATH when the folder has no JDK 17+", () => {
    jdk("java-11-openjdk-amd64", "11.0.22");
    const onPath = () => ({ home: "/opt/jdk-21", major: 21 });
    expect(findJava({ env: {}, jvmDir, pathJava: onPath })).toEqual({ javaHome: "/opt/jdk-21", major: 21, source: "PATH" });
  });

  it("says what to install when there is no Java 17+ anywhere", () => {
    jdk("java-11-openjdk-amd64", "11.0.22");
    const old = () => ({ home: "/usr", major: 11 });
    expect(() => findJava({ env: {}, jvmDir, pathJava: old })).toThrow(/apt-get install -y openjdk-17-jdk-headless/);
  });
});

describe("parseMajor", () => {
  it.each([
    ["17.0.15", 17],
    ["25", 25],
    ["25.0.1+8", 25],
    ["1.8.0_402", 8],
  ])("reads %s as Java %d", (version, major) => {
    expect(parseMajor(version)).toBe(major);
  });
});
