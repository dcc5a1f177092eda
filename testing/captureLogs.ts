/** Collects everything written through console during a test, to assert what log lines say (and do not). */
export function captureLogs(): { lines: () => string[]; restore: () => void } {
  const lines: string[] = [];
  const spies = (["info", "warn", "error", "log"] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    }),
  );
  return { lines: () => lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}
