import type { MeasuredLoad } from '../load/load-session.ts';
import { completedWithin, PHASES, type FaultReport, type Phase, type PhaseStats, type SecondOfRun } from '../load/load-runner.ts';

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
  /** The fault injected mid-window, as JSON keeps it: what broke is absent when nothing was. */
  fault?: Omit<FaultReport, 'broke'> & { broke?: string | undefined };
}

export type LoadStage = Phase | 'iterations';

export interface LatencySecond {
  /** Seconds from the start of the load. */
  second: number;
  /** How many seconds the point spans, when more than one (loads longer than 10 min are drawn in wider steps). */
  seconds?: number;
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

/** Histogram bucket bounds (ms): 1-2-5 steps per decade, readable on a chart's axis. */
const HISTOGRAM_BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000];

/** What the reports keep of a load the run measured: the runner's summary, with what was asked and offered and who asked. */
export function loadEvidenceOf(load: MeasuredLoad): LoadEvidence {
  const { summary, asked, offered } = load;
  const request = summary.request;
  const stage = (stats: PhaseStats): StageEvidence => ({
    attempts: stats.attempts, successes: stats.successes, failures: { ...stats.failures }, percentilesMs: { ...stats.percentilesMs }, histogram: histogramOf(stats),
  });
  const latency = summary.latencyOverTime;
  return {
    id: loadIdOf(load),
    guarantees: [...load.guarantees],
    runner: summary.runner,
    profile: request.profile,
    flow: request.flow,
    asked: { ratePerSecond: asked.ratePerSecond, durationMs: asked.durationMs },
    offered: { ratePerSecond: offered.ratePerSecond, durationMs: offered.durationMs },
    ...(summary.startedAt ? { startedAt: summary.startedAt } : {}),
    window: { ...summary.window },
    achievedRate: summary.achievedRate,
    scheduled: summary.scheduled,
    dropped: summary.dropped,
    droppedInWindow: summary.droppedInWindow ?? summary.dropped,
    series: summary.series.map((second) => ({ ...second })),
    latencyOverTime: (latency?.points ?? []).map((point) => ({ second: point.second, ...(latency!.resolutionSeconds > 1 ? { seconds: latency!.resolutionSeconds } : {}), stages: point.stages })),
    stages: { ...Object.fromEntries(PHASES.map((phase) => [phase, stage(summary.phases[phase])])), iterations: stage(summary.iterations) } as Record<LoadStage, StageEvidence>,
    ...(summary.fault ? { fault: summary.fault } : {}),
  };
}

/** "p2p-1000-3600000-smoke", "+ -fault-central-ledger" for a load with a fault: one id per distinct load of a run. */
export function loadIdOf(load: Pick<MeasuredLoad, 'summary' | 'asked' | 'faultIn'>): string {
  const name = `${load.summary.request.flow}-${load.asked.ratePerSecond}-${load.asked.durationMs}-${load.summary.request.profile}`;
  return load.faultIn ? `${name}-fault-${load.faultIn.replace(/[^A-Za-z0-9]+/g, '-')}` : name;
}

/**
 * Successes by latency bucket from what the runner kept (`completedBelowMs`, cumulative per whole
 * ms): `[upper bound, count in the bucket]` on 1-2-5 bounds, up to the bucket holding the slowest.
 * Where the runner could only estimate (`completedBelowEstimate`), each count is its lower bound.
 */
export function histogramOf(stats: Pick<PhaseStats, 'completedBelowMs' | 'successes'>): Array<[number, number]> {
  if (stats.completedBelowMs.length === 0) return [];
  const slowest = stats.completedBelowMs.at(-1)![0];
  const histogram: Array<[number, number]> = [];
  let below = 0;
  for (const bound of HISTOGRAM_BOUNDS) {
    const within = completedWithin(stats, bound);
    histogram.push([bound, within - below]);
    below = within;
    if (bound >= slowest) break;
  }
  return histogram;
}
