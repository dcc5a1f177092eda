/** The time source of the session logic; tests pass their own to move time without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

/** The system clock. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/** Whole seconds since the epoch, as JWT claims count them. */
export const nowS = (clock: Clock): number => Math.floor(clock.nowMs() / 1000);
