/**
 * How many iterations the builtin runner lets the hub hold at once, fitted to the pace at which
 * the hub completes them — so a hub past its capacity is driven at its capacity, not into collapse.
 *
 * Why: an open-model runner that keeps starting arrivals while the hub falls behind piles up
 * thousands of requests, each waiting longer than the last, until they all time out and the hub's
 * whole capacity goes into work nobody waits for any more (the bench saw 39 transfers/s achieved
 * of a hub that clears 600/s). By Little's law, what completes within `targetMs` at the pace the
 * hub keeps is pace × target: each second the cap moves towards that (at most halving or
 * doubling), between a floor and the hard cap. The target is a quarter of the iterations'
 * timeouts — Little's law holds the mean, and the slowest must still finish within them — far
 * beyond any SLA bound, so a healthy hub never meets the governor: it starts at one second of
 * arrivals and is past what such a hub holds after its first adjustment. Arrivals beyond the cap
 * are dropped and counted, and every dropped arrival of the steady state is a miss in the latency
 * and availability verdicts (sla-probe.ts): holding load back can never make a hub pass.
 */
export interface GovernorOptions {
  /** What the process can hold (descriptors) or the user configured: the cap never exceeds it. */
  hardCap: number;
  /** The cap before anything is known (one second of arrivals); never above the hard cap. */
  initial: number;
  /** Iteration latency the governor holds the hub to, ms. */
  targetMs: number;
  /** The cap never falls below this, so a recovered hub is seen at once. */
  floor: number;
}

/** When the cap first fell below what it started at, its lowest value, and the hub's pace that set it. */
export interface GovernorRecord {
  firstBelowAtMs: number;
  lowest: number;
  lowestAtMs: number;
  /** Iterations the hub completed per second when the cap was lowest (0: a stall). */
  paceAtLowest: number;
}

/** The most the cap changes in one adjustment: halves or doubles. */
const MAX_STEP = 2;

export class InFlightGovernor {
  readonly #options: GovernorOptions;
  readonly #start: number;
  #cap: number;
  #completed = 0;
  #adjustedAtMs = 0;
  #record: GovernorRecord | undefined;

  constructor(options: GovernorOptions) {
    if (!(options.targetMs > 0)) throw new Error(`the in-flight governor needs a positive latency target, not ${options.targetMs}`);
    const floor = Math.max(1, Math.min(options.floor, options.hardCap));
    this.#options = { ...options, floor };
    this.#start = Math.min(options.hardCap, Math.max(floor, options.initial));
    this.#cap = this.#start;
  }

  /** Iterations in flight at most, now. */
  get cap(): number {
    return this.#cap;
  }

  get targetMs(): number {
    return this.#options.targetMs;
  }

  /** Undefined while the cap never fell below where it started. */
  get record(): GovernorRecord | undefined {
    return this.#record;
  }

  /** An iteration ended, succeeded or failed: the hub's pace. */
  completed(): void {
    this.#completed += 1;
  }

  /**
   * Called about once a second with the age of the oldest iteration in flight. With completions,
   * the cap moves towards pace × target; with none, it halves only when the oldest in flight is
   * already older than the target (a stall), and otherwise waits (a slow hub's first answers).
   */
  adjust(nowMs: number, oldestInFlightAgeMs: number | undefined): number {
    const periodMs = nowMs - this.#adjustedAtMs;
    const completed = this.#completed;
    this.#adjustedAtMs = nowMs;
    this.#completed = 0;
    if (periodMs <= 0) return this.#cap;
    const { hardCap, targetMs, floor } = this.#options;
    const pace = (completed * 1000) / periodMs;
    let next: number;
    if (completed > 0) {
      const fits = (pace * targetMs) / 1000;
      next = Math.min(this.#cap * MAX_STEP, Math.max(this.#cap / MAX_STEP, fits));
    } else {
      next = oldestInFlightAgeMs !== undefined && oldestInFlightAgeMs > targetMs ? this.#cap / MAX_STEP : this.#cap;
    }
    next = Math.min(hardCap, Math.max(floor, Math.round(next)));
    if (next < this.#start) {
      this.#record ??= { firstBelowAtMs: nowMs, lowest: next, lowestAtMs: nowMs, paceAtLowest: pace };
      if (next < this.#record.lowest) this.#record = { ...this.#record, lowest: next, lowestAtMs: nowMs, paceAtLowest: pace };
    }
    this.#cap = next;
    return next;
  }
}
