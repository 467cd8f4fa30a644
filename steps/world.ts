import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { EVIDENCE_MEDIA_TYPE, formatMeasuredValue, type EvidenceRecord, type Measurement } from '../src/evidence/evidence.ts';
import { P2pTransferProbe } from '../src/probes/p2p-transfer-probe.ts';
import { currentSession, type RunSession } from '../src/run/session.ts';

/** Per-scenario state: the session's resources, the probes, and the evidence recorder. */
export class ConformanceWorld extends World {
  readonly session: RunSession;
  readonly p2p: P2pTransferProbe;

  constructor(options: IWorldOptions) {
    super(options);
    this.session = currentSession();
    this.p2p = new P2pTransferProbe(this.session.payer, this.session.config);
  }

  /** Attaches each measurement as evidence, then fails the step if any is out of threshold. */
  async record(measurements: Measurement[]): Promise<void> {
    if (measurements.length > 0) await this.#attach({ type: 'measurements', measurements });
    const failed = measurements.filter((m) => !m.ok);
    if (failed.length > 0) {
      throw new Error(failed.map((m) => `${m.name} was ${formatMeasuredValue(m)}, expected ${m.threshold} (${m.source})`).join('; '));
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
