import type { LoadProfile } from './load-profiles.ts';
import { offerFor } from './load-profiles.ts';
import type { FaultInjector, LoadOffer, LoadProgress, LoadRequest, LoadRunner, LoadSummary } from './load-runner.ts';

/**
 * The validity gate's answer on one load: were the transfers the payer saw COMMITTED committed at
 * the hub? A commit the hub denies or never confirms is the hub's failure, judged by the probe.
 */
export interface LoadValidity {
  checked: number;
  confirmed: number;
  problems: string[];
}

export type LoadOutcome =
  | { kind: 'measured'; summary: LoadSummary; asked: LoadOffer; offered: LoadOffer; validity: LoadValidity }
  | { kind: 'not-evaluated'; reason: string };

/** One load that ran to its end: what the runner reported, what was asked and offered, and the guarantees that asked for it. */
export interface MeasuredLoad {
  summary: LoadSummary;
  asked: LoadOffer;
  offered: LoadOffer;
  /** The component a fault was injected into, when one was asked for. */
  faultIn?: string;
  /** The guarantees judged on this load (every scenario sharing it), in the order they asked. */
  guarantees: string[];
}

/** Questions to the hub in flight at once while confirming the committed sample. */
const CONFIRMATIONS_IN_FLIGHT = 8;

export interface LoadSessionOptions {
  /** Names the target in reasons, e.g. "url". */
  targetKind: string;
  profile: LoadProfile;
  runner: LoadRunner | undefined;
  /** Why there is no runner, when there is none. */
  noRunner?: string;
  faults?: FaultInjector | undefined;
  /** Asks the hub for a transfer's state: true when COMMITTED, else what it is. */
  confirmCommitted: (transferId: string) => Promise<true | string>;
  onProgress?: (progress: LoadProgress) => void;
  /** The run stopping: loads in progress stop starting iterations. */
  signal?: AbortSignal;
}

/**
 * Runs the load SLA and resilience scenarios ask for — scaled to the profile, with a fault
 * injected mid-run when asked — once per distinct request of a run, shared by every scenario
 * asking for it; then asks the hub back for a sample of what the payer saw committed.
 */
export class LoadSession {
  readonly #options: LoadSessionOptions;
  readonly #runs = new Map<string, Promise<LoadOutcome>>();
  /** The guarantees asking for each distinct load, by its key. */
  readonly #askedBy = new Map<string, string[]>();
  readonly #measured: MeasuredLoad[] = [];

  constructor(options: LoadSessionOptions) {
    this.#options = options;
  }

  /** Every load that ran to its end so far, for the run's diagnosis and its reports. */
  get measured(): readonly MeasuredLoad[] {
    return this.#measured;
  }

  /** The load `asked` (scaled to the profile), run once per distinct request; `guarantee` is named among those judged on it. */
  run(asked: LoadOffer, faultIn?: string, guarantee?: string): Promise<LoadOutcome> {
    const { runner, faults, targetKind, profile } = this.#options;
    if (!runner) return Promise.resolve({ kind: 'not-evaluated', reason: this.#options.noRunner ?? `target ${targetKind} has no load runner` });
    if (faultIn && !faults) return Promise.resolve({ kind: 'not-evaluated', reason: `target ${targetKind} cannot inject faults, so losing "${faultIn}" cannot be measured` });
    const offered = offerFor(profile, asked);
    const key = `${offered.ratePerSecond}/s × ${offered.durationMs} ms, fault: ${faultIn ?? 'none'}`;
    const askedBy = this.#askedBy.get(key) ?? [];
    this.#askedBy.set(key, askedBy);
    if (guarantee !== undefined && !askedBy.includes(guarantee)) askedBy.push(guarantee);
    let outcome = this.#runs.get(key);
    if (!outcome) {
      outcome = this.#measure(runner, asked, offered, faultIn && faults ? { component: faultIn, faults } : undefined, askedBy);
      this.#runs.set(key, outcome);
    }
    return outcome;
  }

  async #measure(runner: LoadRunner, asked: LoadOffer, offered: LoadOffer, fault: { component: string; faults: FaultInjector } | undefined, guarantees: string[]): Promise<LoadOutcome> {
    const { profile } = this.#options;
    // The offered duration is the steady state judged ("sustained for 1 hour" is a whole hour of it): warm-up and drain come on top.
    const windowStart = profile.warmupMs;
    const windowEnd = profile.warmupMs + offered.durationMs;
    const request: LoadRequest = {
      ratePerSecond: offered.ratePerSecond, durationMs: profile.warmupMs + offered.durationMs + profile.drainMs, flow: 'p2p', profile: profile.name, warmupMs: profile.warmupMs, drainMs: profile.drainMs, intervalMs: profile.intervalMs,
      signal: this.#options.signal,
      // Mid-window, so the window holds both the outage and the recovery.
      fault: fault && { atMs: Math.round((windowStart + windowEnd) / 2), inject: async () => ({ broke: await fault.faults.killOne(fault.component), atMs: Math.round((windowStart + windowEnd) / 2) }) },
    };
    const summary = await runner.run(request, this.#options.onProgress);
    if (fault?.faults.aftermath && summary.fault?.broke) {
      const broke = summary.fault.broke;
      summary.fault.aftermath = await fault.faults.aftermath(broke, this.#options.signal).catch((error: unknown) => ({
        replacementReadyMs: undefined, replacement: `not observed: ${(error as Error).message}`, data: 'not known',
      }));
    }
    // The same list the later askers join: a report lists every guarantee judged on this load.
    this.#measured.push({ summary, asked, offered, ...(fault ? { faultIn: fault.component } : {}), guarantees });
    return { kind: 'measured', summary, asked, offered, validity: await this.#validate(summary.committedSample) };
  }

  /** Asks the hub about the sample a few at a time: on a hub with one-second callbacks, one by one would take a second per transfer. */
  async #validate(sample: readonly string[]): Promise<LoadValidity> {
    const states = new Array<true | string>(sample.length);
    let next = 0;
    const asker = async () => {
      for (let index = next++; index < sample.length; index = next++) {
        states[index] = await this.#options.confirmCommitted(sample[index]!).catch((error: unknown) => `could not be asked back: ${(error as Error).message}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONFIRMATIONS_IN_FLIGHT, sample.length) }, asker));
    const problems = states.flatMap((state, index) => (state === true ? [] : [`transfer ${sample[index]} ${state}`]));
    return { checked: sample.length, confirmed: sample.length - problems.length, problems };
  }
}
