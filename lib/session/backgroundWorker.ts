import { isAppError } from "../errors";
import { describeUnknown, log } from "../log";

/** Background work of one process: writes kept revocations, restores lost logouts, retries due ones. */
export interface BackgroundWorker {
  start(): void;
  stop(): void;
  /** One round of the work (what the timer runs); for tests and shutdown. */
  tick(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs` once started, one round at a time; the timer does not keep the process alive.
 * A failing round is logged once per streak (a store outage is logged by the store itself).
 */
export function createBackgroundWorker(work: () => Promise<void>, intervalMs: number): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let failing = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await work();
      failing = false;
    } catch (error) {
      if (!failing && !isAppError(error, "STORE_UNAVAILABLE")) log.error("BACKGROUND_WORK_FAILED", describeUnknown(error));
      failing = true;
    } finally {
      running = false;
    }
  };
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    tick,
  };
}
