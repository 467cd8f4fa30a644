import type { Profile } from '../config/schema.ts';
import { offerFor } from './load-profiles.ts';
import type { FaultInjector, LoadOffer, LoadRunner, LoadSummary } from './load-runner.ts';

export type LoadOutcome =
  | { kind: 'measured'; summary: LoadSummary; asked: LoadOffer; offered: LoadOffer }
  | { kind: 'not-evaluated'; reason: string };

export interface LoadTarget {
  /** Names the target in reasons, e.g. "url". */
  kind: string;
  loadRunner?: LoadRunner | undefined;
  faults?: FaultInjector | undefined;
}

/**
 * Runs the load SLA and resilience scenarios ask for — scaled to the profile, with a fault
 * injected mid-run when asked — once per distinct request of a run, shared by every scenario
 * asking for it.
 */
export class LoadSession {
  readonly #target: LoadTarget;
  readonly #profile: Profile;
  readonly #runs = new Map<string, Promise<LoadSummary>>();

  constructor(target: LoadTarget, profile: Profile) {
    this.#target = target;
    this.#profile = profile;
  }

  async run(asked: LoadOffer, faultIn?: string): Promise<LoadOutcome> {
    const { loadRunner: runner, faults, kind } = this.#target;
    if (!runner) return { kind: 'not-evaluated', reason: `target ${kind} has no load runner` };
    if (faultIn && !faults) return { kind: 'not-evaluated', reason: `target ${kind} cannot inject faults, so losing "${faultIn}" cannot be measured` };
    const offered = offerFor(this.#profile, asked);
    const key = `${offered.ratePerSecond}/s × ${offered.durationMs} ms, fault: ${faultIn ?? 'none'}`;
    let summary = this.#runs.get(key);
    if (!summary) {
      summary = runner.run(offered, faultIn && faults ? { fault: async () => { await faults.killOne(faultIn); } } : {});
      this.#runs.set(key, summary);
    }
    return { kind: 'measured', summary: await summary, asked, offered };
  }
}
