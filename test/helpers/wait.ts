import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** The bound: past it the wait fails instead of hanging the suite. */
  timeoutMs: number;
  /** What is awaited, as the failure names it: "the payee to be told of every abort". */
  what: string;
  /** Pause between checks; 0 yields to the event loop only (setImmediate), for conditions that change without a timer. */
  intervalMs?: number;
}

/**
 * Waits until `condition` returns something truthy and returns it; after `timeoutMs` it throws
 * `timed out after N ms waiting for <what>` (plus the last state `describe` gives, if any), so a
 * regression fails the test with a reason instead of stalling CI.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions & { describe?: () => string }): Promise<NonNullable<T>> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      const state = options.describe ? ` (${options.describe()})` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${state}`);
    }
    if (options.intervalMs) await sleep(options.intervalMs);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}
