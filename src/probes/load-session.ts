import { offerFor } from '../config/load-profiles.ts';
import type { Profile } from '../config/schema.ts';
import type { LoadOffer, StartedEnvironment } from '../environment/environment.ts';
import { SlaProbe } from './sla-probe.ts';

export type LoadOutcome =
  | { kind: 'measured'; probe: SlaProbe; asked: LoadOffer; offered: LoadOffer; reduced: boolean }
  | { kind: 'not-evaluated'; reason: string };

/**
 * Runs the load an SLA or resilience scenario asks for — scaled to the profile, with a fault
 * injected mid-run when asked — once per distinct request, shared by every scenario asking for it.
 */
export class LoadSession {
  readonly #environment: StartedEnvironment;
  readonly #profile: Profile;
  readonly #cache: Map<string, Promise<unknown>>;

  constructor(environment: StartedEnvironment, profile: Profile, cache: Map<string, Promise<unknown>>) {
    this.#environment = environment;
    this.#profile = profile;
    this.#cache = cache;
  }

  async run(asked: LoadOffer, faultIn?: string): Promise<LoadOutcome> {
    const runner = this.#environment.loadRunner;
    if (!runner) return { kind: 'not-evaluated', reason: `target ${this.#environment.kind} has no load runner` };
    const faults = this.#environment.faults;
    if (faultIn && !faults) return { kind: 'not-evaluated', reason: `target ${this.#environment.kind} cannot inject faults, so losing "${faultIn}" cannot be measured` };
    const offered = offerFor(this.#profile, asked);
    const key = `load:${offered.ratePerSecond}:${offered.durationMs}:${faultIn ?? ''}`;
    if (!this.#cache.has(key)) {
      this.#cache.set(key, runner.run(offered, faultIn && faults ? { fault: async () => { await faults.killOne(faultIn); } } : {}));
    }
    const summary = await (this.#cache.get(key) as ReturnType<typeof runner.run>);
    const reduced = offered.ratePerSecond < asked.ratePerSecond || offered.durationMs < asked.durationMs;
    return { kind: 'measured', probe: new SlaProbe(summary), asked, offered, reduced };
  }
}
