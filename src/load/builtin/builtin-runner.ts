import { monitorEventLoopDelay } from 'node:perf_hooks';
import { monotonicClock, type Clock } from '../../support/clock.ts';
import { descriptorLimit } from '../../support/descriptor-limit.ts';
import { LoadAccounting, type RunnerLimits } from '../load-accounting.ts';
import type { Phase } from '../load-contract.ts';
import type { FaultReport, LoadProgress, LoadRequest, LoadRunner, LoadSummary } from '../load-runner.ts';
import type { QuotesPut } from '../../fspiop/payloads.ts';
import { InFlightGovernor } from './in-flight-governor.ts';
import { agreedTerms, checkedClearing, checkedTransfer, type CallbackCheck, type PhaseOutcome, type TransferDriver, type TransferParties } from './checked-transfer.ts';

export interface BuiltinRunnerOptions {
  driver: TransferDriver;
  parties: TransferParties;
  /** Holds every success callback to more than its schema (the FSPIOP definition, in a run). */
  check?: CallbackCheck;
  /** Iterations in flight at most; an arrival beyond it is dropped and counted. Default: `inFlightCap`. */
  maxInFlight?: number;
  /** How long one phase may wait for its callback (timeouts.callbackMs): the governor holds iterations to a quarter of it per phase. Default 10 s. */
  phaseTimeoutMs?: number;
  /** How many COMMITTED transfer ids to keep for the validity gate. */
  sampleSize?: number;
  clock?: Clock;
}

/** How often the scheduler wakes to start the iterations that are due. */
const TICK_MS = 5;
/** The clearing flow asks for fresh terms this often: quotes expire (the simulator's after 60 s). */
const TERMS_REFRESH_MS = 20_000;
const PROGRESS_EVERY_MS = 1000;
/** How often the in-flight cap is fitted to the latency measured. */
const GOVERN_EVERY_MS = 1000;
/** The cap never falls below this much of the offered rate's arrivals, so a hub that recovers is seen at once. */
const GOVERNOR_FLOOR_MS = 100;
/**
 * Descriptors one iteration in flight may hold at worst: its request and the callback answering
 * it, each a connection with both ends in this process when the hub runs here (embedded).
 */
export const DESCRIPTORS_PER_ITERATION = 4;
/** Descriptors left for everything else of the process: files, the ledger, pipes, the servers' listeners. */
const DESCRIPTOR_RESERVE = 256;

/**
 * Iterations in flight at most: ten seconds of arrivals (the default request and callback
 * timeouts), bounded by what the process can hold open — so a hub that stalls makes the runner
 * drop arrivals and count them, never run out of descriptors and die.
 */
export function inFlightCap(ratePerSecond: number, configured?: number, limit = descriptorLimit()): RunnerLimits {
  if (configured !== undefined) return { maxInFlight: configured, maxInFlightSource: 'load.maxInFlight' };
  const byRate = Math.max(50, Math.ceil(ratePerSecond * 10));
  const byDescriptors = Math.max(16, Math.floor((limit.limit - DESCRIPTOR_RESERVE) / DESCRIPTORS_PER_ITERATION));
  return byDescriptors < byRate
    ? { maxInFlight: byDescriptors, maxInFlightSource: `${limit.source} (${DESCRIPTORS_PER_ITERATION} descriptors per iteration in flight, ${DESCRIPTOR_RESERVE} kept for the rest)` }
    : { maxInFlight: byRate, maxInFlightSource: `10 s of arrivals at ${ratePerSecond}/s (within ${limit.source})` };
}

/**
 * The open-model load runner that needs nothing installed. Arrivals follow a fixed schedule
 * whether or not earlier iterations finished; each latency is measured from the iteration's
 * intended start, so a slow hub cannot hide behind a slowed schedule (no coordinated omission).
 * Every iteration is the checked P2P transfer of the functional scenarios. An arrival that finds
 * the in-flight cap reached is dropped and counted, with its time (k6's `dropped_iterations`).
 * Memory stays bounded: the books are `LoadAccounting`'s, never the exchanges.
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
  readonly #books: LoadAccounting;
  readonly #limits: RunnerLimits;
  /** Iterations in flight and their intended starts, oldest first (they start in order). */
  readonly #inFlight = new Map<Promise<void>, number>();
  readonly #governor: InFlightGovernor;
  #governedAt = 0;
  readonly #total: number;
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
    this.#total = Math.floor((request.ratePerSecond * request.durationMs) / 1000);
    this.#books = new LoadAccounting(request, options.sampleSize === undefined ? {} : { sampleSize: options.sampleSize });
    this.#limits = inFlightCap(request.ratePerSecond, options.maxInFlight);
    this.#books.limitedBy(this.#limits);
    const phases = request.flow === 'clearing' ? 1 : 3;
    this.#governor = new InFlightGovernor({
      hardCap: this.#limits.maxInFlight,
      targetMs: (phases * (options.phaseTimeoutMs ?? 10_000)) / 4,
      floor: Math.max(8, Math.ceil((request.ratePerSecond * GOVERNOR_FLOOR_MS) / 1000)),
    });
  }

  async execute(): Promise<LoadSummary> {
    const refresh = this.#request.flow === 'clearing' ? await this.#keepTermsFresh() : { stop: () => undefined };
    this.#start = this.#clock.now();
    const startedAt = new Date();
    // This thread's own lateness: a runner starved of CPU measures its own delay into every latency.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const faultDone = this.#scheduleFault();
    const progress = this.#everySecond();
    await this.#schedule();
    // Every iteration is bounded by the driver's request and callback timeouts.
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.keys()]);
    lag.disable();
    if (lag.count > 0) this.#books.lagged({ p99Ms: lag.percentile(99) / 1e6, maxMs: lag.max / 1e6 });
    progress.stop();
    refresh.stop();
    await faultDone;
    const governed = this.#governor.record;
    if (governed) this.#books.governed({ ...governed, targetMs: this.#governor.targetMs });
    const request = this.#request;
    const window = this.#books.window;
    return this.#books.summary({
      runner: 'builtin runner',
      source: `builtin runner, profile ${request.profile}, ${request.ratePerSecond} P2P transfers/s offered for ${request.durationMs / 1000} s, steady state ${window.startMs / 1000} s–${window.endMs / 1000} s`,
      scheduled: this.#total,
      startedAt,
      fault: this.#fault,
    });
  }

  /** Starts every iteration when it is due — all that fell due while the loop was busy, too. */
  #schedule(): Promise<void> {
    const spacingMs = 1000 / this.#request.ratePerSecond;
    return new Promise((resolve) => {
      const tick = () => {
        if (this.#request.signal?.aborted) return resolve();
        const elapsed = this.#clock.now() - this.#start;
        if (elapsed - this.#governedAt >= GOVERN_EVERY_MS) this.#govern(elapsed);
        const maxInFlight = this.#governor.cap;
        while (this.#started + this.#dropped < this.#total && (this.#started + this.#dropped) * spacingMs <= elapsed) {
          const intendedMs = (this.#started + this.#dropped) * spacingMs;
          if (this.#inFlight.size >= maxInFlight) {
            this.#dropped += 1;
            this.#books.dropped(intendedMs);
            continue;
          }
          this.#started += 1;
          this.#books.started(intendedMs);
          const iteration = this.#iterate(intendedMs);
          this.#inFlight.set(iteration, intendedMs);
          void iteration.finally(() => this.#inFlight.delete(iteration));
        }
        if (this.#started + this.#dropped >= this.#total) return resolve();
        const nextDue = (this.#started + this.#dropped) * spacingMs - elapsed;
        this.#clock.setTimeout(tick, Math.max(0, Math.min(TICK_MS, nextDue)));
      };
      tick();
    });
  }

  #govern(elapsedMs: number): void {
    this.#governedAt = elapsedMs;
    const oldest = this.#inFlight.values().next();
    this.#governor.adjust(elapsedMs, oldest.done ? undefined : elapsedMs - oldest.value);
  }

  async #iterate(intendedMs: number): Promise<void> {
    let previous = this.#start + intendedMs;
    const phasesMs: Partial<Record<Phase, number>> = {};
    let failure: { phase: Phase; reason: string } | undefined;
    // Each phase is timed from the end of the one before; the first from the intended start.
    const report = (outcome: PhaseOutcome) => {
      if (outcome.ok) phasesMs[outcome.phase] = outcome.completedAt - previous;
      else failure ??= { phase: outcome.phase, reason: outcome.reason };
      previous = outcome.completedAt;
    };
    const { driver, parties, check } = this.#options;
    const now = () => this.#clock.now();
    let transferId: string | undefined;
    try {
      transferId = await (this.#request.flow === 'clearing' ? checkedClearing(driver, parties, this.#terms!, now, report, check) : checkedTransfer(driver, parties, now, report, check));
    } catch (error) {
      // Not the hub's answer: a failure of the tool, which makes the whole run prove nothing.
      this.#books.runnerError((error as Error).message);
    }
    const endMs = this.#clock.now() - this.#start;
    const ok = failure === undefined && transferId !== undefined;
    this.#governor.completed(endMs - intendedMs, ok);
    this.#books.record({ startMs: intendedMs, endMs, ok, failure, phasesMs, ...(ok ? { committedTransferId: transferId } : {}) });
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
      this.#onProgress!(this.#books.progress(this.#clock.now() - this.#start));
      timer = this.#clock.setTimeout(report, PROGRESS_EVERY_MS);
    };
    timer = this.#clock.setTimeout(report, PROGRESS_EVERY_MS);
    return { stop: () => this.#clock.clearTimeout(timer) };
  }
}
