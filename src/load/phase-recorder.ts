import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { PhaseStats } from './load-runner.ts';

/** Percentiles every runner reports, as the keys of `PhaseStats.percentilesMs`. */
export const PERCENTILES = ['50', '95', '99', '99.9'] as const;

const MAX_MICROSECONDS = 3_600_000_000;

/**
 * One phase's outcomes in bounded memory: an HDR histogram of successful latencies (µs
 * resolution, 3 significant figures), successes counted per whole millisecond of latency (so the
 * share completed within any bound is exact; at most one counter per millisecond up to the
 * longest latency, which the request and callback timeouts bound) and failure counts by reason —
 * never the exchanges themselves.
 */
export class PhaseRecorder {
  #attempts = 0;
  #successes = 0;
  readonly #failures: Record<string, number> = {};
  readonly #latency: RecordableHistogram = createHistogram({ lowest: 1, highest: MAX_MICROSECONDS, figures: 3 });
  /** Successes by whole milliseconds of latency (floor). */
  readonly #byMillisecond = new Map<number, number>();

  success(latencyMs: number): void {
    this.#attempts += 1;
    this.#successes += 1;
    this.#latency.record(Math.min(MAX_MICROSECONDS, Math.max(1, Math.round(latencyMs * 1000))));
    const ms = Math.min(MAX_MICROSECONDS / 1000, Math.max(0, Math.floor(latencyMs)));
    this.#byMillisecond.set(ms, (this.#byMillisecond.get(ms) ?? 0) + 1);
  }

  failure(reason: string): void {
    this.#attempts += 1;
    this.#failures[reason] = (this.#failures[reason] ?? 0) + 1;
  }

  get attempts(): number {
    return this.#attempts;
  }

  get failed(): number {
    return this.#attempts - this.#successes;
  }

  /** The latency at percentile `p` so far, in ms; undefined before the first success. */
  percentileMs(p: number): number | undefined {
    return this.#successes === 0 ? undefined : this.#latency.percentile(p) / 1000;
  }

  stats(): PhaseStats {
    const percentilesMs: Record<string, number> = {};
    if (this.#successes > 0) for (const p of PERCENTILES) percentilesMs[p] = this.#latency.percentile(Number(p)) / 1000;
    return { attempts: this.#attempts, successes: this.#successes, failures: { ...this.#failures }, percentilesMs, completedBelowMs: cumulative(this.#byMillisecond) };
  }
}

/** Counts per whole millisecond → `[ms + 1, successes so far]`: a latency in [ms, ms + 1) is below ms + 1. */
export function cumulative(byMillisecond: ReadonlyMap<number, number>): Array<[number, number]> {
  let total = 0;
  return [...byMillisecond].sort(([a], [b]) => a - b).map(([ms, n]) => {
    total += n;
    return [ms + 1, total];
  });
}
