import { monotonicClock, type Clock } from '../../support/clock.ts';
import { PhaseRecorder } from '../phase-recorder.ts';
import { Reservoir } from '../reservoir.ts';
import { PHASES, type FaultReport, type LoadProgress, type LoadRequest, type LoadRunner, type LoadSummary, type Phase, type SecondOfRun } from '../load-runner.ts';
import type { QuotesPut } from '../../fspiop/payloads.ts';
import { agreedTerms, checkedClearing, checkedTransfer, type CallbackCheck, type TransferDriver, type TransferParties } from './checked-transfer.ts';

/** Transfers committed this close to a fault are all asked back after the run (RPO), up to MAX_NEAR_FAULT of them. */
const NEAR_FAULT_MS = 5000;
const MAX_NEAR_FAULT = 5000;

export interface BuiltinRunnerOptions {
  driver: TransferDriver;
  parties: TransferParties;
  /** Holds every success callback to more than its schema (the FSPIOP definition, in a run). */
  check?: CallbackCheck;
  /** Iterations in flight at most; an arrival beyond it is dropped (the runner could not keep up). */
  maxInFlight?: number;
  /** How many COMMITTED transfer ids to keep for the validity gate. */
  sampleSize?: number;
  clock?: Clock;
}

/** How often the scheduler wakes to start the iterations that are due. */
const TICK_MS = 5;
/** The clearing flow asks for fresh terms this often: quotes expire (the simulator's after 60 s). */
const TERMS_REFRESH_MS = 20_000;
const PROGRESS_EVERY_MS = 1000;

/**
 * The open-model load runner that needs nothing installed. Arrivals follow a fixed schedule
 * whether or not earlier iterations finished; each latency is measured from the iteration's
 * intended start, so a slow hub cannot hide behind a slowed schedule (no coordinated omission).
 * Every iteration is the checked P2P transfer of the functional scenarios. Memory stays bounded:
 * histograms, counts and a per-second series, never the exchanges.
 */
export class BuiltinLoadRunner implements LoadRunner {
  readonly name = 'builtin runner';
  readonly #options: BuiltinRunnerOptions;

  constructor(options: BuiltinRunnerOptions) {
    this.#options = options;
  }

  run(request: LoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<LoadSummary> {
    return new LoadRun(this.#options, request, onProgress).execute();
  }
}

class LoadRun {
  readonly #options: BuiltinRunnerOptions;
  readonly #request: LoadRequest;
  readonly #onProgress: ((progress: LoadProgress) => void) | undefined;
  readonly #clock: Clock;
  readonly #phases = Object.fromEntries(PHASES.map((phase) => [phase, new PhaseRecorder()])) as Record<Phase, PhaseRecorder>;
  readonly #iterations = new PhaseRecorder();
  readonly #series: SecondOfRun[] = [];
  readonly #sample: Reservoir<string>;
  /** Every transfer committed close to the fault: the ones a hub that loses its last writes loses, which a random sample would mostly miss. */
  readonly #nearFault: string[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #window: { startMs: number; endMs: number };
  readonly #total: number;
  #succeededInWindow = 0;
  readonly #runnerErrors: { count: number; first?: string } = { count: 0 };
  #started = 0;
  #dropped = 0;
  #start = 0;
  #fault: FaultReport | undefined;
  #terms: QuotesPut | undefined;

  constructor(options: BuiltinRunnerOptions, request: LoadRequest, onProgress: ((progress: LoadProgress) => void) | undefined) {
    this.#options = options;
    this.#request = request;
    this.#onProgress = onProgress;
    this.#clock = options.clock ?? monotonicClock;
    this.#window = { startMs: request.warmupMs, endMs: Math.max(request.warmupMs, request.durationMs - request.drainMs) };
    this.#total = Math.floor((request.ratePerSecond * request.durationMs) / 1000);
    // Every committed transfer of the window has the same chance to be asked back by the validity gate.
    this.#sample = new Reservoir(options.sampleSize ?? 100);
  }

  async execute(): Promise<LoadSummary> {
    const refresh = this.#request.flow === 'clearing' ? await this.#keepTermsFresh() : { stop: () => undefined };
    this.#start = this.#clock.now();
    const faultDone = this.#scheduleFault();
    const progress = this.#everySecond();
    await this.#schedule();
    // Every iteration is bounded by the driver's request and callback timeouts.
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    progress.stop();
    refresh.stop();
    await faultDone;
    return this.#summary();
  }

  /** Starts every iteration when it is due — all that fell due while the loop was busy, too. */
  #schedule(): Promise<void> {
    const { ratePerSecond } = this.#request;
    const spacingMs = 1000 / ratePerSecond;
    const maxInFlight = this.#options.maxInFlight ?? Math.max(50, Math.ceil(ratePerSecond * 10));
    return new Promise((resolve) => {
      const tick = () => {
        if (this.#request.signal?.aborted) return resolve();
        const elapsed = this.#clock.now() - this.#start;
        while (this.#started + this.#dropped < this.#total && (this.#started + this.#dropped) * spacingMs <= elapsed) {
          const intendedMs = (this.#started + this.#dropped) * spacingMs;
          if (this.#inFlight.size >= maxInFlight) {
            this.#dropped += 1;
            continue;
          }
          this.#started += 1;
          this.#second(intendedMs).started += 1;
          const iteration = this.#iterate(intendedMs);
          this.#inFlight.add(iteration);
          void iteration.finally(() => this.#inFlight.delete(iteration));
        }
        if (this.#started + this.#dropped >= this.#total) return resolve();
        const nextDue = (this.#started + this.#dropped) * spacingMs - elapsed;
        this.#clock.setTimeout(tick, Math.max(0, Math.min(TICK_MS, nextDue)));
      };
      tick();
    });
  }

  async #iterate(intendedMs: number): Promise<void> {
    const inWindow = intendedMs >= this.#window.startMs && intendedMs < this.#window.endMs;
    const startedAt = this.#start + intendedMs;
    let previous = startedAt;
    let failed = false;
    const report = (outcome: Parameters<Parameters<typeof checkedTransfer>[3]>[0]) => {
      if (inWindow) {
        if (outcome.ok) this.#phases[outcome.phase].success(outcome.completedAt - previous);
        else this.#phases[outcome.phase].failure(outcome.reason);
      }
      if (!outcome.ok) {
        failed = true;
        if (inWindow) this.#iterations.failure(`${outcome.phase}: ${outcome.reason}`);
      }
      previous = outcome.completedAt;
    };
    const { driver, parties } = this.#options;
    const now = () => this.#clock.now();
    const { check } = this.#options;
    const iteration = this.#request.flow === 'clearing' ? checkedClearing(driver, parties, this.#terms!, now, report, check) : checkedTransfer(driver, parties, now, report, check);
    const transferId = await iteration.catch((error: unknown) => {
      failed = true;
      // Not the hub's answer: a failure of the tool, which makes the whole run prove nothing.
      this.#runnerErrors.count += 1;
      this.#runnerErrors.first ??= (error as Error).message;
      return undefined;
    });
    const completedMs = this.#clock.now() - this.#start;
    const second = this.#second(completedMs);
    if (failed || transferId === undefined) {
      second.failed += 1;
      return;
    }
    second.succeeded += 1;
    if (completedMs >= this.#window.startMs && completedMs < this.#window.endMs) this.#succeededInWindow += 1;
    if (inWindow) {
      this.#iterations.success(completedMs - intendedMs);
      this.#sample.offer(transferId);
    }
    const faultAtMs = this.#request.fault?.atMs;
    if (faultAtMs !== undefined && Math.abs(completedMs - faultAtMs) <= NEAR_FAULT_MS && this.#nearFault.length < MAX_NEAR_FAULT) this.#nearFault.push(transferId);
  }

  #second(ms: number): SecondOfRun {
    const index = Math.max(0, Math.floor(ms / 1000));
    for (let s = this.#series.length; s <= index; s += 1) this.#series.push({ second: s, started: 0, succeeded: 0, failed: 0 });
    return this.#series[index]!;
  }

  /** Terms agreed before the clock starts, then renewed in the background. */
  async #keepTermsFresh(): Promise<{ stop(): void }> {
    const agree = async () => {
      const terms = await agreedTerms(this.#options.driver, this.#options.parties);
      if (typeof terms === 'string') throw new Error(`the clearing flow needs agreed terms, and the quote failed: ${terms}`);
      this.#terms = terms;
    };
    await agree();
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    let stopped = false;
    const renew = () => {
      if (!stopped) timer = this.#clock.setTimeout(() => { agree().catch(() => undefined).finally(renew); }, TERMS_REFRESH_MS);
    };
    renew();
    return {
      stop: () => {
        stopped = true;
        this.#clock.clearTimeout(timer);
      },
    };
  }

  #scheduleFault(): Promise<void> {
    const fault = this.#request.fault;
    if (!fault) return Promise.resolve();
    return new Promise((resolve) => {
      this.#clock.setTimeout(() => {
        fault.inject().then((report) => { this.#fault = report; }, (error: unknown) => {
          this.#fault = { broke: undefined, atMs: fault.atMs, problem: (error as Error).message };
        }).finally(resolve);
      }, fault.atMs);
    });
  }

  #everySecond(): { stop(): void } {
    if (!this.#onProgress) return { stop: () => undefined };
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const report = () => {
      const elapsedMs = this.#clock.now() - this.#start;
      const recent = this.#series.slice(-6, -1);
      const p99Ms: Partial<Record<Phase, number>> = {};
      for (const phase of PHASES) {
        const p99 = this.#phases[phase].percentileMs(99);
        if (p99 !== undefined) p99Ms[phase] = p99;
      }
      this.#onProgress!({
        elapsedMs: Math.min(elapsedMs, this.#request.durationMs), durationMs: this.#request.durationMs, targetRate: this.#request.ratePerSecond,
        achievedRate: recent.length === 0 ? 0 : recent.reduce((sum, s) => sum + s.succeeded, 0) / recent.length,
        p99Ms, failed: this.#series.reduce((sum, s) => sum + s.failed, 0), dropped: this.#dropped,
      });
      timer = this.#clock.setTimeout(report, PROGRESS_EVERY_MS);
    };
    timer = this.#clock.setTimeout(report, PROGRESS_EVERY_MS);
    return { stop: () => this.#clock.clearTimeout(timer) };
  }

  #summary(): LoadSummary {
    const request = this.#request;
    const window = this.#window;
    const intervals: LoadSummary['intervals'] = [];
    for (let startMs = window.startMs; startMs + request.intervalMs <= window.endMs; startMs += request.intervalMs) {
      const endMs = startMs + request.intervalMs;
      intervals.push({ startMs, endMs, succeeded: this.#succeededBetween(startMs, endMs) });
    }
    if (intervals.length === 0 && window.endMs > window.startMs) {
      intervals.push({ startMs: window.startMs, endMs: window.endMs, succeeded: this.#succeededInWindow });
    }
    const windowSeconds = (window.endMs - window.startMs) / 1000;
    const { fault, signal: _signal, ...rest } = request;
    return {
      runner: 'builtin runner',
      source: `builtin runner, profile ${request.profile}, ${request.ratePerSecond} P2P transfers/s offered for ${request.durationMs / 1000} s, steady state ${window.startMs / 1000} s–${window.endMs / 1000} s`,
      request: rest,
      window,
      scheduled: this.#total,
      dropped: this.#dropped,
      achievedRate: windowSeconds > 0 ? this.#succeededInWindow / windowSeconds : 0,
      intervals,
      iterations: this.#iterations.stats(),
      phases: Object.fromEntries(PHASES.map((phase) => [phase, this.#phases[phase].stats()])) as LoadSummary['phases'],
      series: this.#series,
      committedSample: [...new Set([...this.#sample.sample(), ...this.#nearFault])],
      ...(fault ? { fault: this.#fault ?? { broke: undefined, atMs: fault.atMs } } : {}),
      ...(this.#runnerErrors.count > 0 ? { runnerErrors: { count: this.#runnerErrors.count, first: this.#runnerErrors.first ?? 'no message' } } : {}),
    };
  }

  /** Successful completions in [startMs, endMs), from the per-second series (interval edges fall on whole seconds). */
  #succeededBetween(startMs: number, endMs: number): number {
    return this.#series.filter((s) => s.second * 1000 >= startMs && s.second * 1000 < endMs).reduce((sum, s) => sum + s.succeeded, 0);
  }
}
