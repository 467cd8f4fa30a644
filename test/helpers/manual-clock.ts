import type { Clock, ClockTimer } from '../../src/support/clock.ts';

/** A clock that moves only when the test says so: timers fire in `advance`, in order, never on their own. */
export class ManualClock implements Clock {
  #now: number;
  readonly #timers = new Map<object, { at: number; callback: () => void }>();

  constructor(start = Date.parse('2026-11-27T00:00:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const handle = {};
    this.#timers.set(handle, { at: this.#now + ms, callback });
    return handle as ClockTimer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (timer) this.#timers.delete(timer);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].callback();
    }
    this.#now = until;
  }
}
