/** An opaque handle of a timer set on a `Clock`. */
export type ClockTimer = { readonly __clockTimer: true } | NodeJS.Timeout;

/**
 * Time as the code that waits for it sees it. Production uses the system clock; tests pass a
 * clock they advance by hand, so nothing depends on a timer firing on time on a busy machine.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/** A monotonic clock in milliseconds (performance.now), for measuring durations and schedules. */
export const monotonicClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};
