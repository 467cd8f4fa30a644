import { AssertionError } from 'node:assert';
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { LoadOffer } from '../src/environment/environment.ts';
import { EVIDENCE_MEDIA_TYPE, formatMeasuredValue, type EvidenceRecord, type Measurement } from '../src/evidence/evidence.ts';
import { InventoryProbe } from '../src/probes/inventory-probe.ts';
import { P2pTransferProbe } from '../src/probes/p2p-transfer-probe.ts';
import { SecurityPostureProbe } from '../src/probes/security-posture-probe.ts';
import { LoadSession } from '../src/probes/load-session.ts';
import type { SlaProbe } from '../src/probes/sla-probe.ts';
import { currentSession, type RunSession } from '../src/run/session.ts';

/** Per-scenario state: the session's resources, the probes, and the evidence recorder. */
export class ConformanceWorld extends World {
  readonly session: RunSession;
  readonly p2p: P2pTransferProbe;
  readonly posture: SecurityPostureProbe;
  /** Set by the Before hook from the scenario's `@guarantee:` tag. */
  guaranteeId = '';
  offer: LoadOffer | undefined;
  fault: string | undefined;

  constructor(options: IWorldOptions) {
    super(options);
    this.session = currentSession();
    this.p2p = new P2pTransferProbe(this.session.payer, this.session.config);
    this.posture = new SecurityPostureProbe(this.session.payer, this.session.config);
  }

  /** The deployment's inventory, read once per run. */
  async inventory(): Promise<InventoryProbe> {
    const read = this.session.environment.inventory;
    if (!read) throw new Error(`target ${this.session.environment.kind} declares an inventory capability but reads no inventory`);
    const cache = this.session.cache;
    if (!cache.has('inventory')) cache.set('inventory', read.call(this.session.environment));
    return new InventoryProbe(await (cache.get('inventory') as ReturnType<typeof read>));
  }

  /**
   * The SLA probe over the load this scenario offered. Under a profile that reduced the load the
   * reduction is recorded as evidence, so the verdict is never taken for a full-threshold one.
   */
  async sla(): Promise<{ probe: SlaProbe; offered: LoadOffer } | 'skipped'> {
    if (!this.offer) throw new Error('no load was offered: add "Given P2P transfers are offered at … for …" before this step');
    const outcome = await new LoadSession(this.session.environment, this.session.config.profile, this.session.cache).run(this.offer, this.fault);
    if (outcome.kind === 'not-evaluated') return this.notEvaluated(outcome.reason);
    if (outcome.reduced) await this.#attach({ type: 'reduced-load', asked: outcome.asked, offered: outcome.offered });
    return { probe: outcome.probe, offered: outcome.offered };
  }

  /** Records what `measure` reads from this scenario's load, or NOT EVALUATED when the load could not run. */
  async recordLoad(measure: (probe: SlaProbe, offered: LoadOffer) => Measurement[]): Promise<'skipped' | undefined> {
    const load = await this.sla();
    if (load === 'skipped') return load;
    await this.record(measure(load.probe, load.offered));
    return undefined;
  }

  /** Attaches the measurements as evidence, then fails the step if any is out of threshold. */
  async record(measurements: Measurement[]): Promise<void> {
    if (measurements.length > 0) await this.#attach({ type: 'measurements', measurements });
    const failed = measurements.filter((m) => !m.ok);
    if (failed.length > 0) {
      // An AssertionError, so reports (Allure) show a failed guarantee, not a broken test.
      throw new AssertionError({ message: failed.map((m) => `${m.name} was ${formatMeasuredValue(m)}, expected ${m.threshold} (${m.source})`).join('; ') });
    }
  }

  async notEvaluated(reason: string, capability?: string): Promise<'skipped'> {
    await this.#attach({ type: 'not-evaluated', reason, ...(capability ? { capability } : {}) });
    return 'skipped';
  }

  async #attach(record: EvidenceRecord): Promise<void> {
    await this.attach(JSON.stringify(record), { mediaType: EVIDENCE_MEDIA_TYPE });
  }
}

setWorldConstructor(ConformanceWorld);
