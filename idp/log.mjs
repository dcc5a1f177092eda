/** Prints one `idp:` line; callers pass facts only, never tokens or passwords. */
export function log(message) {
  process.stdout.write(`idp: ${message}\n`);
}
