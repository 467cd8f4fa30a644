import { DEFAULT_INVALID_FULFILMENT_PARTY, type ConformanceConfig, type PartyRef } from '../../config/schema.ts';
import { loadIlpCodec } from '../../dfsp/ilp-codec.ts';
import { PayeeSimulator, type SimulatedParty } from '../../dfsp/payee-simulator.ts';
import { ReferenceHub } from '../../hub/reference-hub.ts';

export interface ReferenceDeploymentOptions {
  host?: string;
  hubPort?: number;
  /** Where the hub delivers the payer's callbacks until `connectPayer` says otherwise. */
  payerEndpoint?: string;
}

/**
 * The built-in deployment the embedded target and `npm run hub` both run: the reference hub
 * with the payer and payee DFSPs of the config onboarded, and a simulated payee DFSP holding
 * the payee party and the party that answers with a wrong fulfilment.
 */
export class ReferenceDeployment {
  readonly hub: ReferenceHub;
  #payee: PayeeSimulator | undefined;
  readonly #config: ConformanceConfig;
  readonly #options: ReferenceDeploymentOptions;

  constructor(config: ConformanceConfig, options: ReferenceDeploymentOptions = {}) {
    this.#config = config;
    this.#options = options;
    this.hub = new ReferenceHub({ host: options.host, port: options.hubPort ?? 0, deliveryTimeoutMs: config.timeouts.callbackMs, callbackDelayMs: config.embedded.callbackDelayMs });
  }

  get invalidFulfilmentParty(): PartyRef {
    return invalidFulfilmentParty(this.#config);
  }

  get payee(): PayeeSimulator {
    if (!this.#payee) throw new Error('the reference deployment has not been started');
    return this.#payee;
  }

  async start(): Promise<{ hubUrl: string; payeeUrl: string }> {
    const { participants, embedded, timeouts } = this.#config;
    try {
      const hubUrl = await this.hub.start();
      const ilp = await loadIlpCodec(`${participants.payee.fspId}-ilp-secret`);
      const simulated: SimulatedParty[] = [
        { ...participants.payee.party, firstName: 'Mats', lastName: 'Hagman', behaviour: 'fulfil' },
      ];
      simulated.push({ ...this.invalidFulfilmentParty, firstName: 'Ivy', lastName: 'Wrongful', behaviour: 'invalid-fulfilment' });
      this.#payee = new PayeeSimulator({
        fspId: participants.payee.fspId, hubUrl, ilp, parties: simulated,
        delayMs: embedded.payeeDelayMs, timeoutMs: timeouts.callbackMs, host: this.#options.host,
      });
      const payeeUrl = await this.#payee.start();
      const currencies = [participants.payer.currency];
      this.hub.participants.register({ fspId: participants.payer.fspId, endpoint: this.#options.payerEndpoint, currencies });
      this.hub.participants.register({ fspId: participants.payee.fspId, endpoint: payeeUrl, currencies });
      this.hub.oracle.register(participants.payer.party.type, participants.payer.party.id, participants.payer.fspId);
      for (const party of simulated) this.hub.oracle.register(party.type, party.id, participants.payee.fspId);
      return { hubUrl, payeeUrl };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  connectPayer(fspId: string, callbackUrl: string): void {
    this.hub.participants.setEndpoint(fspId, callbackUrl);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#payee?.stop(), this.hub.stop()]);
  }
}

/** The simulated payee's party that answers with a wrong fulfilment. */
export function invalidFulfilmentParty(config: ConformanceConfig): PartyRef {
  return config.parties.invalidFulfilment ?? DEFAULT_INVALID_FULFILMENT_PARTY;
}
