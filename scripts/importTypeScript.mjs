// @ts-check
// Imports one of the app's TypeScript modules from a plain-Node dev script (scripts/typescriptHooks.mjs does the work).
import { register } from "node:module";

let registered = false;

/**
 * @param {string} path relative to the repository, e.g. "lib/config/env.ts"
 * @returns {Promise<any>}
 */
export async function importTypeScript(path) {
  if (!registered) {
    register(new URL("./typescriptHooks.mjs", import.meta.url));
    registered = true;
  }
  return import(new URL(`../${path}`, import.meta.url).href);
}
