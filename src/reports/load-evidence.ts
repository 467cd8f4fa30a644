import type { FaultReport, Phase, SecondOfRun } from '../load/load-runner.ts';

/**
 * What a report keeps of one load a run offered: enough to draw it (latency over time per phase,
 * histograms, achieved vs offered rate with the steady-state window marked, failures by reason and
 * FSPIOP error code) and to compare it with another run's, without the runner's raw reports.
 * `result.json` carries one per distinct load (`loads`); SLA verdicts name theirs by `id`.
 */
export interface LoadEvidence {
  /** Stable within a run, e.g. "p2p-1000-3600000-smoke"; verdicts' evidence refers to it. */
  id: string;
  /** The guarantees judged on this load. */
  guarantees: string[];
  runner: string;
  profile: string;
  flow: 'p2p' | 'clearing';
  /** What the guarantee asked for, before the profile scaled it. */
  asked: { ratePerSecond: number; durationMs: number };
  /** What was really offered (after the profile). Equal to `asked` only under the full profile. */
  offered: { ratePerSecond: number; durationMs: number };
  startedAt?: string;
  /** The steady-state window, ms from the start of the load. */
  window: { startMs: number; endMs: number };
  achievedRate: number;
  scheduled: number;
  dropped: number;
  droppedInWindow: number;
  /** Each second of the whole load: started, succeeded, failed, dropped (as the runner reported). */
  series: SecondOfRun[];
  /** Latency of the successes completed in each second, per phase and for whole iterations (ms). */
  latencyOverTime: LatencySecond[];
  /** Per phase and `iterations`: the steady-state figures. */
  stages: Record<LoadStage, StageEvidence>;
  fault?: FaultReport;
}

export type LoadStage = Phase | 'iterations';

export interface LatencySecond {
  second: number;
  stages: Partial<Record<LoadStage, { count: number; p50: number; p95: number; p99: number }>>;
}

export interface StageEvidence {
  attempts: number;
  successes: number;
  /** Failures by reason, the words of `load-contract.ts` ("timeout", "error callback 3204", "HTTP 500", …). */
  failures: Record<string, number>;
  /** Keyed "50", "95", "99", "99.9". */
  percentilesMs: Record<string, number>;
  /** Successes by latency bucket, ascending `[upper bound ms, count in the bucket]` (not cumulative). */
  histogram: Array<[number, number]>;
}
