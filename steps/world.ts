import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { EVIDENCE_MEDIA_TYPE } from '../src/evidence/evidence.ts';
import { recordFinding, type Finding } from '../src/evidence/finding.ts';
import type { LoadOffer } from '../src/load/load-runner.ts';
import type { HubLedgerProbe } from '../src/probes/hub-ledger-probe.ts';
import type { P2pTransferProbe } from '../src/probes/p2p-transfer-probe.ts';
import { SecurityPostureProbe } from '../src/probes/security-posture-probe.ts';
import type { SlaProbe } from '../src/probes/sla-probe.ts';
import { sessionFrom, type RunSession } from '../src/run/session.ts';

/** Per-scenario state: the run's session, this scenario's probes and the load it asked for. */
export class ConformanceWorld extends World {
  readonly session: RunSession;
  readonly p2p: P2pTransferProbe;
  readonly posture: SecurityPostureProbe;
  readonly #ledger: HubLedgerProbe | undefined;
  /** Set by the Before hook from the scenario's `@guarantee:` tag. */
  guaranteeId = '';
  offer: LoadOffer | undefined;
  fault: string | undefined;

  constructor(options: IWorldOptions) {
    super(options);
    this.session = sessionFrom(this.parameters);
    this.p2p = this.session.p2pProbe();
    this.#ledger = this.session.ledgerProbe();
    // The admin API, where the target has one: only its own scenarios (@needs:admin-api) probe it.
    // Credentials: what a target securing its own hub issued to our payer, else the config's `security`.
    this.posture = new SecurityPostureProbe(this.session.payer, this.session.config, {
      adminUrl: this.session.has('admin-api') ? this.session.provider('admin-api').adminUrl : undefined,
      credentials: this.session.credentials,
    });
  }

  /** The hub's books; the `@needs:hub-ledger` gate has run before any step uses it. */
  get ledger(): HubLedgerProbe {
    if (!this.#ledger) throw new Error('this scenario reads the hub\'s positions: tag it @needs:hub-ledger');
    return this.#ledger;
  }

  /** Puts back what the scenario changed at the hub (a lowered net debit cap). */
  async restoreLedger(): Promise<void> {
    await this.#ledger?.restore();
  }

  /** Attaches what a probe found as evidence; fails the step if a measurement is out of threshold. */
  record(finding: Finding): Promise<'skipped' | undefined> {
    return recordFinding(finding, async (record) => {
      await this.attach(JSON.stringify(record), { mediaType: EVIDENCE_MEDIA_TYPE });
    });
  }

  /** Records what `measure` reads from the load this scenario offered. */
  async recordUnderLoad(measure: (probe: SlaProbe) => Finding): Promise<'skipped' | undefined> {
    if (!this.offer) throw new Error('no load was offered: add "Given P2P transfers are offered at … for …" before this step');
    return this.record(await this.session.underLoad(this.offer, this.fault, measure, this.guaranteeId || undefined));
  }
}

setWorldConstructor(ConformanceWorld);
