import { useState } from "react";

/**
 * A button for an action that ends by leaving the page (sign-in, sign-out): after a click it is disabled, marked
 * `aria-busy` and says `busyLabel` until the page goes; if the action fails it is clickable again.
 */
export function BusyButton({
  label,
  busyLabel,
  action,
  className,
}: {
  label: string;
  busyLabel: string;
  action: () => Promise<unknown>;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    try {
      await action();
    } catch {
      setBusy(false);
    }
  }
  return (
    <button type="button" className={className} disabled={busy} aria-busy={busy} onClick={() => void run()}>
      {busy ? busyLabel : label}
    </button>
  );
}
