import type { LatencyOverTime, LoadStage } from './load-runner.ts';

/** At most this many points over a load, whatever its length: a 1-hour load is drawn in 6-second steps, an 8-hour soak in 48-second ones. */
export const MAX_TIMELINE_POINTS = 600;
/**
 * Bucket i ≥ 1 holds latencies in [RATIO^(i-1), RATIO^i) ms; bucket 0 everything below 1 ms. A
 * percentile is reported as its bucket's upper bound: never below the true value, at most 5 % above
 * it — coarse, but a chart of p99 over time needs its shape, and the steady-state percentiles the
 * verdicts read come from the HDR histograms (PhaseRecorder), not from here.
 */
const RATIO = 1.05;
/** Points past the planned end (a run overrunning its duration) are allowed up to twice the planned count, then merged into the last. */
const LAST_POINT = 2 * MAX_TIMELINE_POINTS;
const LOG_RATIO = Math.log(RATIO);
/** Up to an hour (3.6e6 ms): ln(3.6e6) / ln(1.05) ≈ 310 buckets. */
const BUCKETS = Math.ceil(Math.log(3_600_000) / LOG_RATIO) + 2;

/**
 * Latency over time, per stage (each phase and whole iterations), in bounded memory: one small
 * histogram of fixed log buckets per point and stage, allocated only when a latency lands there.
 * Points are whole seconds for loads up to MAX_TIMELINE_POINTS seconds and wider for longer ones, so
 * memory is at most 2 × MAX_TIMELINE_POINTS × stages × BUCKETS counters (about 8 MB, when every point of every stage has latencies), never a
 * latency per iteration. Latencies are placed by completion time, as the per-second series counts them.
 */
export class LatencyTimeline {
  readonly #resolutionSeconds: number;
  readonly #points = new Map<number, Map<LoadStage, Uint32Array>>();

  constructor(durationMs: number) {
    this.#resolutionSeconds = Math.max(1, Math.ceil(durationMs / 1000 / MAX_TIMELINE_POINTS));
  }

  record(stage: LoadStage, completedAtMs: number, latencyMs: number): void {
    // A load that runs long past its plan (callbacks awaited after the drain) lands in the last point allowed: the bound holds.
    const point = Math.min(LAST_POINT, Math.max(0, Math.floor(completedAtMs / 1000 / this.#resolutionSeconds)));
    let stages = this.#points.get(point);
    if (!stages) {
      stages = new Map();
      this.#points.set(point, stages);
    }
    let buckets = stages.get(stage);
    if (!buckets) {
      buckets = new Uint32Array(BUCKETS);
      stages.set(stage, buckets);
    }
    buckets[bucketOf(latencyMs)]! += 1;
  }

  summary(): LatencyOverTime {
    const points = [...this.#points.entries()].sort(([a], [b]) => a - b).map(([point, stages]) => ({
      second: point * this.#resolutionSeconds,
      stages: Object.fromEntries([...stages].map(([stage, buckets]) => [stage, percentilesOf(buckets)])),
    }));
    return { resolutionSeconds: this.#resolutionSeconds, points };
  }
}

function bucketOf(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log(latencyMs) / LOG_RATIO) + 1);
}

/** The upper bound of a bucket, ms (bucket 0: below 1 ms). */
function upperBound(bucket: number): number {
  return Math.round(RATIO ** bucket * 100) / 100;
}

function percentilesOf(buckets: Uint32Array): { count: number; p50: number; p95: number; p99: number } {
  let count = 0;
  for (const n of buckets) count += n;
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * count));
    let seen = 0;
    for (let bucket = 0; bucket < buckets.length; bucket += 1) {
      seen += buckets[bucket]!;
      if (seen >= rank) return upperBound(bucket);
    }
    return upperBound(buckets.length - 1);
  };
  return { count, p50: at(50), p95: at(95), p99: at(99) };
}
