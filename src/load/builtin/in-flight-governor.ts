/**
 * How many iterations the builtin runner lets the hub hold at once, fitted to the pace at which
 * the hub completes them — so a hub past its capacity is driven at its capacity, not into collapse.
 *
 * Why: an open-model runner that keeps starting arrivals while the hub falls behind piles up
 * thousands of requests, each waiting longer than the last, until they all time out and the hub's
 * whole capacity goes into work nobody waits for any more (the bench saw 39 transfers/s achieved
 * of a hub that clears 600/s). By Little's law, what completes within `targetMs` at the pace the
 * hub keeps (iterations it completes successfully per second) is pace × target: each second the
 * cap moves towards that (at most halving or doubling), between a floor and the hard cap — but
 * only while requests queue, the iterations' median latency more than twice the lowest median
 * seen. A hub that is slow but not saturated (every answer late, however few are in flight) keeps
 * the whole cap and is measured as slow: holding it back would change nothing but what is
 * measured. The target is a quarter of the iterations' timeouts — Little's law holds the mean, and
 * the slowest must still finish within them — far beyond any SLA bound. It starts at the hard cap
 * (what is in flight grows only by the arrivals the hub does not complete, and it is refitted
 * every second), and a hub that never answered is not judged stalled. Arrivals beyond the cap are
 * dropped and counted, and every dropped arrival of the steady state is a miss in the latency and
 * availability verdicts (sla-probe.ts): holding load back can never make a hub pass.
 */
export interface GovernorOptions {
  /** What the process can hold (descriptors) or the user configured: the cap never exceeds it. */
  hardCap: number;
  /** Iteration latency the governor holds the hub to, ms. */
  targetMs: number;
  /** The cap never falls below this, so a recovered hub is seen at once. */
  floor: number;
}

/** When the cap first fell below the hard cap, its lowest value, and the hub's pace that set it. */
export interface GovernorRecord {
  firstBelowAtMs: number;
  lowest: number;
  lowestAtMs: number;
  /** Iterations the hub completed per second when the cap was lowest (0: a stall). */
  paceAtLowest: number;
}

/** The most the cap changes in one adjustment: halves or doubles. */
const MAX_STEP = 2;
/** Requests queue when the median latency is more than this many times the lowest median seen. */
const QUEUEING_FACTOR = 2;

function medianOf(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export class InFlightGovernor {
  readonly #options: GovernorOptions;
  #cap: number;
  #latencies: number[] = [];
  #succeeded = 0;
  /** The lowest per-period median latency so far: the hub's latency without a queue. */
  #unloadedMs: number | undefined;
  #adjustedAtMs = 0;
  #record: GovernorRecord | undefined;

  constructor(options: GovernorOptions) {
    if (!(options.targetMs > 0)) throw new Error(`the in-flight governor needs a positive latency target, not ${options.targetMs}`);
    const floor = Math.max(1, Math.min(options.floor, options.hardCap));
    this.#options = { ...options, floor };
    this.#cap = options.hardCap;
  }

  /** Iterations in flight at most, now. */
  get cap(): number {
    return this.#cap;
  }

  get targetMs(): number {
    return this.#options.targetMs;
  }

  /** Undefined while the cap never fell below the hard cap. */
  get record(): GovernorRecord | undefined {
    return this.#record;
  }

  /**
   * An iteration ended this long after its intended start. Every one tells the latency; only those
   * that succeeded tell the pace the hub keeps — iterations given up after their timeout are
   * what a queue too long produces, not capacity.
   */
  completed(latencyMs: number, succeeded = true): void {
    this.#latencies.push(latencyMs);
    if (succeeded) this.#succeeded += 1;
  }

  /**
   * Called about once a second with the age of the oldest iteration in flight. With completions,
   * the cap moves towards pace × target; with none, it halves only when the oldest in flight is
   * already older than the target (a stall), and otherwise waits (a slow hub's first answers).
   */
  adjust(nowMs: number, oldestInFlightAgeMs: number | undefined): number {
    const periodMs = nowMs - this.#adjustedAtMs;
    if (periodMs <= 0) return this.#cap;
    const latencies = this.#latencies;
    const pace = (this.#succeeded * 1000) / periodMs;
    this.#adjustedAtMs = nowMs;
    this.#latencies = [];
    this.#succeeded = 0;
    const { hardCap, targetMs, floor } = this.#options;
    const median = latencies.length > 0 ? medianOf(latencies) : undefined;
    if (median !== undefined) this.#unloadedMs = Math.min(this.#unloadedMs ?? median, median);
    const queueing = (latencyMs: number) => this.#unloadedMs === undefined || latencyMs > QUEUEING_FACTOR * this.#unloadedMs;
    let next: number;
    if (median !== undefined) {
      const fits = (pace * targetMs) / 1000;
      if (!queueing(median)) next = this.#cap * MAX_STEP;
      else if (median > targetMs) next = Math.max(this.#cap / MAX_STEP, fits);
      else next = Math.min(this.#cap * MAX_STEP, Math.max(this.#cap, fits));
    } else {
      // A stall: the hub answered faster before, and the oldest iteration has waited past the target.
      const stalled = this.#unloadedMs !== undefined && oldestInFlightAgeMs !== undefined && oldestInFlightAgeMs > targetMs && queueing(oldestInFlightAgeMs);
      next = stalled ? this.#cap / MAX_STEP : this.#cap;
    }
    next = Math.min(hardCap, Math.max(floor, Math.round(next)));
    if (next < hardCap) {
      this.#record ??= { firstBelowAtMs: nowMs, lowest: next, lowestAtMs: nowMs, paceAtLowest: pace };
      if (next < this.#record.lowest) this.#record = { ...this.#record, lowest: next, lowestAtMs: nowMs, paceAtLowest: pace };
    }
    this.#cap = next;
    return next;
  }
}
