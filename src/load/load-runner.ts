/** The load an SLA scenario asks for: a rate held for a duration. */
export interface LoadOffer {
  ratePerSecond: number;
  durationMs: number;
}

import type { Phase } from './load-contract.ts';

export { PHASES, type Phase } from './load-contract.ts';

/**
 * What a runner is asked to do: the offer (already scaled to the profile), what each iteration is,
 * and how the steady-state window is cut out of the run.
 */
export interface LoadRequest extends LoadOffer {
  /** `p2p`: lookup → quote → transfer per iteration (Mojaloop's "TPS"); `clearing`: POST /transfers on terms agreed beforehand. */
  flow: 'p2p' | 'clearing';
  /** The profile that shaped this load; named in every figure. */
  profile: string;
  /** Iterations started in the first `warmupMs` and the last `drainMs` are left out of the steady-state figures. */
  warmupMs: number;
  drainMs: number;
  /** "Sustained" is judged per interval of this length inside the window. */
  intervalMs: number;
  /** Runs once, at `atMs` into the run (resilience scenarios). */
  fault?: { atMs: number; inject: () => Promise<FaultReport> } | undefined;
  /** Aborted when the conformance run stops (Ctrl-C): no new iteration starts, k6 is told to stop. */
  signal?: AbortSignal | undefined;
}

/** What a fault injector really broke, and when. Nothing broken: no recovery can be judged. */
export interface FaultReport {
  broke: string | undefined;
  atMs: number;
  /** Why the injection failed, when it did. */
  problem?: string;
  /** What the target saw of the fault once the load was over, where its injector watches (`FaultInjector.aftermath`). */
  aftermath?: FaultAftermath;
}

/**
 * What an injector that watches the target heal saw after the fault: when the orchestrator had
 * replaced what was broken (a replacement pod Ready), and what the broken part kept — a stateless
 * pod keeps no data, so losing it cannot lose any.
 */
export interface FaultAftermath {
  /** From the kill until the replacement was ready, as the orchestrator reported it; undefined when it was not within the wait. */
  replacementReadyMs: number | undefined;
  /** The replacement and where its readiness was read, or why there is none. */
  replacement: string;
  /** What the broken part kept, and so what its loss could lose. */
  data: string;
}

/** One phase over the steady-state window: successes timed, failures counted by reason. */
export interface PhaseStats {
  attempts: number;
  successes: number;
  /** Failures by reason: "timeout", "error callback 3204", "HTTP 500", "invalid callback body", "not COMMITTED", … */
  failures: Record<string, number>;
  /** Latency percentiles of successful completions in ms, keyed "50", "95", "99", "99.9"; empty when none succeeded. */
  percentilesMs: Record<string, number>;
  /**
   * Successes by latency, ascending `[ms, n]`: n successes completed in less than ms. A latency
   * guarantee ("99 % within 1 second") is the share of attempts completed within its bound, which
   * percentiles of successes cannot give: they leave out the failed and timed-out attempts.
   */
  completedBelowMs: Array<[number, number]>;
  /** Set when the runner could only estimate `completedBelowMs` (each count then a lower bound), saying how. */
  completedBelowEstimate?: string;
}

/**
 * Successes completed in less than `maxMs`, from `stats.completedBelowMs`: exact for a bound in
 * whole milliseconds when the runner kept every latency, else the lower bound it estimated.
 */
export function completedWithin(stats: Pick<PhaseStats, 'completedBelowMs'>, maxMs: number): number {
  let count = 0;
  for (const [ms, n] of stats.completedBelowMs) {
    if (ms > maxMs) break;
    count = n;
  }
  return count;
}

/** Completions of one second of the run (by completion time), for charts and recovery. */
export interface SecondOfRun {
  second: number;
  started: number;
  succeeded: number;
  failed: number;
  /** Arrivals due in this second that were not started (the runner's in-flight cap was reached). */
  dropped?: number;
}

/** A phase, or whole iterations. */
export type LoadStage = Phase | 'iterations';

/**
 * Latency of the successes completed in each point of the whole load (warm-up and drain too), per
 * stage: p50/p95/p99 from coarse log buckets (each at most 5 % above the true value). A point is
 * `resolutionSeconds` wide: 1 s for loads up to 10 min, wider for longer ones (latency-timeline.ts).
 */
export interface LatencyOverTime {
  resolutionSeconds: number;
  points: Array<{ second: number; stages: Partial<Record<LoadStage, { count: number; p50: number; p95: number; p99: number }>> }>;
}

/** What a runner reports. Steady-state figures are over the window; `series` covers the whole run. */
export interface LoadSummary {
  /** Runner, profile and window in words, e.g. "builtin runner, profile smoke, steady state 10 s–55 s of 60 s". */
  source: string;
  runner: string;
  request: Omit<LoadRequest, 'fault' | 'signal'>;
  /** When the load started (ISO 8601), so moments of the run can be named in wall-clock time. */
  startedAt?: string;
  /** Start and end of the steady-state window, ms from the start of the run. */
  window: { startMs: number; endMs: number };
  /** Iterations the schedule called for, and those it could not start (the runner could not keep up). */
  scheduled: number;
  dropped: number;
  /** When arrivals were being dropped (ms from the start of the run), where the runner knows. */
  drops?: { firstMs: number; lastMs: number };
  /**
   * Arrivals due in the steady-state window that were dropped: each one an attempt the hub's
   * backlog kept from being made, a miss in the latency and availability verdicts. A runner that
   * knows its drops only in total (k6) counts them all here.
   */
  droppedInWindow?: number;
  /** What capped the runner: iterations in flight at most, and where that cap came from. */
  limits?: { maxInFlight: number; maxInFlightSource: string };
  /**
   * When the builtin runner held the hub to fewer iterations in flight than it started with,
   * because at the pace the hub completed them more would have waited longer than `targetMs`
   * (in-flight-governor.ts): first when, the lowest cap, when, and the hub's pace then (per s).
   */
  governed?: { firstBelowAtMs: number; lowest: number; lowestAtMs: number; paceAtLowest: number; targetMs: number };
  /**
   * How late the load generator's own event loop ran while it offered the load (builtin runner):
   * every latency it measured includes up to that much of its own delay.
   */
  generatorLag?: { p99Ms: number; maxMs: number };
  /** Failures that were the load generator's own process running out (EMFILE, ENOBUFS, …), not the hub: by code, with the first. */
  generatorExhaustion?: Array<{ code: string; count: number; firstAtMs: number }>;
  /** Successful iterations per second over the window, by completion time. */
  achievedRate: number;
  /** Successful iterations per interval of the window, by completion time. */
  intervals: Array<{ startMs: number; endMs: number; succeeded: number }>;
  /** Whole iterations (every phase succeeded and checked), then each phase. */
  iterations: PhaseStats;
  phases: Record<Phase, PhaseStats>;
  series: SecondOfRun[];
  /** Latency over time per stage (every runner, through LoadAccounting); absent from summaries made before it existed. */
  latencyOverTime?: LatencyOverTime;
  /**
   * Transfers the payer saw COMMITTED, asked back after the run: a random sample of the window (the
   * validity gate) and, with a fault, every one committed within 5 s of it (the RPO check).
   */
  committedSample: string[];
  fault?: FaultReport;
  /** Iterations the runner itself failed to carry out (a defect of the tool, not an answer of the hub): the run proves nothing. */
  runnerErrors?: { count: number; first: string };
}

/**
 * How late the builtin runner's event loop may run at p99 before its figures measure the machine
 * driving the load rather than the hub: a fifth of the 1-second latency the SLA allows.
 */
export const GENERATOR_LAG_LIMIT_MS = 200;

/** Progress a runner reports about once a second. */
export interface LoadProgress {
  elapsedMs: number;
  durationMs: number;
  targetRate: number;
  /** Successful iterations per second over the last few seconds. */
  achievedRate: number;
  p99Ms: Partial<Record<Phase, number>>;
  failed: number;
  /** Arrivals not started so far; undefined where the runner counts them only at its end (k6). */
  dropped: number | undefined;
}

/** Drives iterations open-model at the requested rate (builtin, k6, k6-operator). */
export interface LoadRunner {
  readonly name: string;
  /**
   * Checks, before any scenario, that the runner can run at all (the k6-operator runner: its CRD is
   * served, and the run may create what a load needs); throws the one line that says why not.
   */
  prepare?(): Promise<void>;
  run(request: LoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<LoadSummary>;
}

/**
 * Kills one pod or container of a component during a load and says what it broke. An injector that
 * cannot (nothing matches, the target refuses) may throw: the message is the reason no recovery is judged.
 */
export interface FaultInjector {
  killOne(component: string): Promise<string | undefined>;
  /**
   * Where the target reports its own recovery (Kubernetes: the replacement pod's readiness): what it
   * saw after the kill `broke` names, once it saw it or its own bounded wait ended. Called after the load.
   */
  aftermath?(broke: string, signal?: AbortSignal): Promise<FaultAftermath>;
}
