import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { exhaustionCode, PHASES, type Phase } from './load-contract.ts';
import type { FaultReport, LoadProgress, LoadRequest, LoadSummary, SecondOfRun } from './load-runner.ts';
import { LatencyTimeline } from './latency-timeline.ts';
import { PhaseRecorder } from './phase-recorder.ts';
import { Reservoir } from './reservoir.ts';

/** Transfers committed this close to a fault are all asked back after the run (RPO), up to MAX_NEAR_FAULT of them. */
export const NEAR_FAULT_MS = 5000;
const MAX_NEAR_FAULT = 5000;
/** Progress reports the latency of about the last PROGRESS_SPAN_MS (two spans of histograms, rotated). */
const PROGRESS_SPAN_MS = 5000;

/** One iteration as a runner reports it when it ends (the builtin runner directly, k6 over the notification channel). */
export interface IterationRecord {
  /** Start (the builtin runner: the intended start) and end, ms since the start of the load. */
  startMs: number;
  endMs: number;
  ok: boolean;
  /** Whether it belongs to the steady state, when the runner decides (k6: its `steady` scenario); default: by `startMs`. */
  inWindow?: boolean | undefined;
  /** The phase that failed, in the words of `failureText`. */
  failure?: { phase: Phase; reason: string } | undefined;
  /** Latency of each phase that succeeded, ms. */
  phasesMs: Partial<Record<Phase, number>>;
  /** The whole iteration's latency when it succeeded; default `endMs - startMs`. */
  iterationMs?: number | undefined;
  committedTransferId?: string | undefined;
}

/** What bounded the runner, said in the summary and the diagnosis. */
export interface RunnerLimits {
  /** Iterations in flight at most, and where that cap came from. */
  maxInFlight: number;
  maxInFlightSource: string;
}

/**
 * Every runner's books, kept in bounded memory whatever the load's length: HDR histograms and
 * per-millisecond counts per phase over the steady-state window (iterations belong to it by their
 * start, as k6's `{scenario:steady}` sub-metrics do), a per-second series of the whole run,
 * arrivals dropped with when, failures that were the load generator's own exhaustion, the
 * committed sample for the validity gate and every transfer committed near the fault (RPO). The
 * one place a LoadSummary is made.
 */
export class LoadAccounting {
  readonly #request: LoadRequest;
  readonly #window: { startMs: number; endMs: number };
  readonly #phases = Object.fromEntries(PHASES.map((phase) => [phase, new PhaseRecorder()])) as Record<Phase, PhaseRecorder>;
  readonly #iterations = new PhaseRecorder();
  readonly #series: SecondOfRun[] = [];
  readonly #timeline: LatencyTimeline;
  readonly #sample: Reservoir<string>;
  readonly #nearFault: string[] = [];
  readonly #exhaustion = new Map<string, { count: number; firstAtMs: number }>();
  readonly #runnerErrors: { count: number; first?: string } = { count: 0 };
  /** Latencies of recent iterations, for progress: the current span and the one before. */
  #recent = recentHistograms();
  #older = recentHistograms();
  #recentSince = 0;
  #dropped = 0;
  #droppedInWindow = 0;
  #drops: { firstMs: number; lastMs: number } | undefined;
  #failed = 0;
  #limits: RunnerLimits | undefined;
  #lag: { p99Ms: number; maxMs: number } | undefined;
  #governed: LoadSummary['governed'];

  constructor(request: LoadRequest, options: { sampleSize?: number } = {}) {
    this.#request = request;
    this.#window = { startMs: request.warmupMs, endMs: Math.max(request.warmupMs, request.durationMs - request.drainMs) };
    this.#timeline = new LatencyTimeline(request.durationMs);
    // Every committed transfer of the window has the same chance to be asked back by the validity gate.
    this.#sample = new Reservoir(options.sampleSize ?? 100);
  }

  get window(): { startMs: number; endMs: number } {
    return this.#window;
  }

  /** Steady-state iterations recorded so far, succeeded or failed by the hub. */
  get attemptsInWindow(): number {
    return this.#iterations.attempts;
  }

  /** Says what capped the runner (named in the summary and in a diagnosis of dropped arrivals). */
  limitedBy(limits: RunnerLimits): void {
    this.#limits = limits;
  }

  /** How late the generator's event loop ran over the load (its own delay, inside every latency it measured). */
  lagged(lag: { p99Ms: number; maxMs: number }): void {
    this.#lag = lag;
  }

  /** The runner held the hub to fewer iterations in flight than its cap (its latency was above the target). */
  governed(record: NonNullable<LoadSummary['governed']>): void {
    this.#governed = record;
  }

  /** An iteration was started. */
  started(atMs: number): void {
    this.#second(atMs).started += 1;
  }

  /** An arrival due at `atMs` was not started: too many iterations were in flight. */
  dropped(atMs: number): void {
    this.#dropped += 1;
    if (atMs >= this.#window.startMs && atMs < this.#window.endMs) this.#droppedInWindow += 1;
    this.#second(atMs).dropped = (this.#second(atMs).dropped ?? 0) + 1;
    this.#drops = { firstMs: this.#drops?.firstMs ?? atMs, lastMs: atMs };
  }

  /** The dropped count from a runner that counts drops itself without their times (k6's `dropped_iterations`). */
  droppedInTotal(count: number): void {
    this.#dropped = count;
    // Without their times, every drop counts against the steady state: a miss is never hidden.
    this.#droppedInWindow = count;
  }

  /** An iteration the runner itself failed to carry out: a defect of the tool, which makes the run prove nothing. */
  runnerError(message: string, count = 1): void {
    this.#runnerErrors.count += count;
    this.#runnerErrors.first ??= message;
  }

  record(iteration: IterationRecord): void {
    const { startMs, endMs, ok, failure } = iteration;
    const inWindow = iteration.inWindow ?? (startMs >= this.#window.startMs && startMs < this.#window.endMs);
    this.#rotateRecent(endMs);
    for (const phase of PHASES) {
      const ms = iteration.phasesMs[phase];
      if (ms === undefined) continue;
      if (inWindow) this.#phases[phase].success(ms);
      this.#recent[phase].record(microseconds(ms));
      this.#timeline.record(phase, endMs, ms);
    }
    if (failure) {
      if (inWindow) this.#phases[failure.phase].failure(failure.reason);
      const code = exhaustionCode(failure.reason);
      if (code) {
        const known = this.#exhaustion.get(code);
        if (known) known.count += 1;
        else this.#exhaustion.set(code, { count: 1, firstAtMs: endMs });
      }
    }
    const second = this.#second(endMs);
    if (!ok) {
      this.#failed += 1;
      second.failed += 1;
      // Without a phase that failed, the runner itself failed it: kept apart (runnerErrors), never blamed on the hub.
      if (inWindow && failure) this.#iterations.failure(`${failure.phase}: ${failure.reason}`);
      return;
    }
    second.succeeded += 1;
    this.#timeline.record('iterations', endMs, iteration.iterationMs ?? endMs - startMs);
    if (inWindow) {
      this.#iterations.success(iteration.iterationMs ?? endMs - startMs);
      if (iteration.committedTransferId) this.#sample.offer(iteration.committedTransferId);
    }
    const faultAtMs = this.#request.fault?.atMs;
    if (iteration.committedTransferId && faultAtMs !== undefined && Math.abs(endMs - faultAtMs) <= NEAR_FAULT_MS && this.#nearFault.length < MAX_NEAR_FAULT) {
      this.#nearFault.push(iteration.committedTransferId);
    }
  }

  /** About once a second: rate over the last complete seconds, p99 of about the last PROGRESS_SPAN_MS. */
  progress(elapsedMs: number, options: { dropsKnown?: boolean } = {}): LoadProgress {
    this.#rotateRecent(elapsedMs);
    const complete = this.#series.slice(Math.max(0, Math.floor(elapsedMs / 1000) - 5), Math.floor(elapsedMs / 1000));
    const p99Ms: Partial<Record<Phase, number>> = {};
    for (const phase of PHASES) {
      const merged = createHistogram();
      merged.add(this.#recent[phase]);
      merged.add(this.#older[phase]);
      if (merged.count > 0) p99Ms[phase] = merged.percentile(99) / 1000;
    }
    return {
      elapsedMs: Math.min(elapsedMs, this.#request.durationMs), durationMs: this.#request.durationMs, targetRate: this.#request.ratePerSecond,
      achievedRate: complete.length === 0 ? 0 : complete.reduce((sum, s) => sum + s.succeeded, 0) / complete.length,
      p99Ms, failed: this.#failed, dropped: options.dropsKnown === false ? undefined : this.#dropped,
    };
  }

  summary(context: { runner: string; source: string; scheduled: number; startedAt?: Date | undefined; fault?: FaultReport | undefined }): LoadSummary {
    const request = this.#request;
    const window = this.#window;
    const intervals: LoadSummary['intervals'] = [];
    // Whole intervals only (a short last one would look like a dip); one for the window if none fits.
    for (let startMs = window.startMs; startMs + request.intervalMs <= window.endMs; startMs += request.intervalMs) {
      intervals.push({ startMs, endMs: startMs + request.intervalMs, succeeded: this.#succeededBetween(startMs, startMs + request.intervalMs) });
    }
    if (intervals.length === 0 && window.endMs > window.startMs) intervals.push({ ...window, succeeded: this.#succeededBetween(window.startMs, window.endMs) });
    const windowSeconds = (window.endMs - window.startMs) / 1000;
    const { fault, signal: _signal, ...plain } = request;
    const exhaustion = [...this.#exhaustion].map(([code, { count, firstAtMs }]) => ({ code, count, firstAtMs }));
    return {
      runner: context.runner,
      source: context.source,
      request: plain,
      ...(context.startedAt ? { startedAt: context.startedAt.toISOString() } : {}),
      window,
      scheduled: context.scheduled,
      dropped: this.#dropped,
      droppedInWindow: this.#droppedInWindow,
      ...(this.#drops ? { drops: this.#drops } : {}),
      ...(this.#limits ? { limits: this.#limits } : {}),
      ...(this.#governed ? { governed: this.#governed } : {}),
      achievedRate: windowSeconds > 0 ? this.#succeededBetween(window.startMs, window.endMs) / windowSeconds : 0,
      intervals,
      iterations: this.#iterations.stats(),
      phases: Object.fromEntries(PHASES.map((phase) => [phase, this.#phases[phase].stats()])) as LoadSummary['phases'],
      series: this.#series.map((s) => ({ ...s })),
      latencyOverTime: this.#timeline.summary(),
      committedSample: [...new Set([...this.#sample.sample(), ...this.#nearFault])],
      ...(fault ? { fault: context.fault ?? { broke: undefined, atMs: fault.atMs } } : {}),
      ...(this.#lag ? { generatorLag: this.#lag } : {}),
      ...(exhaustion.length > 0 ? { generatorExhaustion: exhaustion } : {}),
      ...(this.#runnerErrors.count > 0 ? { runnerErrors: { count: this.#runnerErrors.count, first: this.#runnerErrors.first ?? 'no message' } } : {}),
    };
  }

  /** Successful completions in [startMs, endMs), from the per-second series (interval edges fall on whole seconds). */
  #succeededBetween(startMs: number, endMs: number): number {
    let sum = 0;
    for (const s of this.#series) if (s.second * 1000 >= startMs && s.second * 1000 < endMs) sum += s.succeeded;
    return sum;
  }

  #second(ms: number): SecondOfRun {
    const index = Math.max(0, Math.floor(ms / 1000));
    for (let s = this.#series.length; s <= index; s += 1) this.#series.push({ second: s, started: 0, succeeded: 0, failed: 0 });
    return this.#series[index]!;
  }

  #rotateRecent(nowMs: number): void {
    if (nowMs - this.#recentSince < PROGRESS_SPAN_MS) return;
    this.#older = this.#recent;
    this.#recent = recentHistograms();
    this.#recentSince = nowMs;
  }
}

function recentHistograms(): Record<Phase, RecordableHistogram> {
  return Object.fromEntries(PHASES.map((phase) => [phase, createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 2 })])) as Record<Phase, RecordableHistogram>;
}

function microseconds(ms: number): number {
  return Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000)));
}
