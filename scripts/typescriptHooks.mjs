// @ts-check
// Node module hooks that let a dev script import the app's TypeScript (e.g. lib/config/env.ts) as it is, without a
// second copy: `.ts` files are transpiled with the project's TypeScript, extensionless relative imports and `@/`
// resolve as in tsconfig.json. Registered by scripts/importTypeScript.mjs.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = new URL("../", import.meta.url);
const CANDIDATES = [".ts", ".tsx", "/index.ts"];

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  const fromTypeScript = context.parentURL?.endsWith(".ts") || context.parentURL?.endsWith(".tsx");
  const local = specifier.startsWith("@/") ? new URL(specifier.slice(2), ROOT).href : specifier.startsWith(".") && context.parentURL ? new URL(specifier, context.parentURL).href : undefined;
  if (fromTypeScript && local && !/\.[cm]?[jt]sx?$/.test(local)) {
    for (const suffix of CANDIDATES) {
      try {
        return await nextResolve(local + suffix, context);
      } catch {
        // try the next form
      }
    }
  }
  return nextResolve(local ?? specifier, context);
}

/** @type {import("node:module").LoadHook} */
export async function load(url, context, nextLoad) {
  if (!/\.tsx?$/.test(url)) return nextLoad(url, context);
  const source = await readFile(fileURLToPath(url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX, sourceMap: false },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}

