import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { PhaseStats } from './load-runner.ts';

/** Percentiles every runner reports, as the keys of `PhaseStats.percentilesMs`. */
export const PERCENTILES = ['50', '95', '99', '99.9'] as const;

const MAX_MICROSECONDS = 3_600_000_000;

/**
 * One phase's outcomes in bounded memory: an HDR histogram of successful latencies (µs
 * resolution, 3 significant figures) and failure counts by reason — never the exchanges themselves.
 */
export class PhaseRecorder {
  #attempts = 0;
  #successes = 0;
  readonly #failures: Record<string, number> = {};
  readonly #latency: RecordableHistogram = createHistogram({ lowest: 1, highest: MAX_MICROSECONDS, figures: 3 });

  success(latencyMs: number): void {
    this.#attempts += 1;
    this.#successes += 1;
    this.#latency.record(Math.min(MAX_MICROSECONDS, Math.max(1, Math.round(latencyMs * 1000))));
  }

  failure(reason: string): void {
    this.#attempts += 1;
    this.#failures[reason] = (this.#failures[reason] ?? 0) + 1;
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
    return { attempts: this.#attempts, successes: this.#successes, failures: { ...this.#failures }, percentilesMs };
  }
}
