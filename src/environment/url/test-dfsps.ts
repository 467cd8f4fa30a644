import { DEFAULT_URL_CALLBACK_PORT, type ConfigFor, type ControlledParty, type ControlledPayeeRole } from '../../config/schema.ts';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import { loadIlpCodec } from '../../dfsp/ilp-codec.ts';
import { PayeeSimulator } from '../../dfsp/payee-simulator.ts';
import type { FspiopTransport } from '../../fspiop/fspiop-transport.ts';
import type { HubAdminClient } from '../../fspiop/hub-admin-client.ts';
import { HubProvisioner, type PlannedCall, type ProvisioningReport } from '../../provisioning/hub-provisioner.ts';
import { FspiopPartyRegistry } from '../../provisioning/party-registry.ts';
import { ProvisioningError } from '../../provisioning/provisioning-error.ts';
import { redactUrl } from '../../support/url.ts';
import type { PayeeObservation, PayerConnection } from '../environment.ts';
import { readOnboarding } from '../onboarding.ts';

/**
 * The DFSPs a url run provisions on the hub under test, as Mojaloop's Testing Toolkit provisions
 * its simulators: our payer (driven by the run), our payee — the simulated payee DFSP the
 * embedded target uses, running in this process and holding the parties that misbehave on purpose
 * — and our bystander, which only asks about the payer's transfers (FUN-19).
 */
export class TestDfsps {
  readonly #config: ConfigFor<'url'>;
  readonly #hubUrl: string;
  readonly #admin: HubAdminClient;
  readonly #payee: PayeeSimulator;
  readonly #payeeUrl: string;
  readonly #parties: { type: string; id: string; subId?: string }[];
  readonly #transport: FspiopTransport | undefined;
  readonly controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>>;
  /** What a person should know: what was put back, what was provisioned, how to remove it. */
  readonly notes: string[] = [];

  private constructor(config: ConfigFor<'url'>, hubUrl: string, admin: HubAdminClient, payee: PayeeSimulator, payeeUrl: string,
    onboarding: ReturnType<typeof readOnboarding>, transport: FspiopTransport | undefined) {
    this.#config = config;
    this.#transport = transport;
    this.#hubUrl = hubUrl;
    this.#admin = admin;
    this.#payee = payee;
    this.#payeeUrl = payeeUrl;
    this.#parties = onboarding.payeeParties.map(({ type, id, subId }) => ({ type, id, ...(subId ? { subId } : {}) }));
    this.controlledPayee = onboarding.controlledPayee;
  }

  /** `transport`: what our payer presents — its party lookups during provisioning go out as the payer. */
  static async start(config: ConfigFor<'url'>, hubUrl: string, admin: HubAdminClient, transport?: FspiopTransport): Promise<TestDfsps> {
    // Read first: a broken fixture is the user's to fix (exit 2).
    const onboarding = readOnboarding(config, { partyIds: 'after-payee-party' });
    const { participants: { payee }, provision, callback, timeouts } = config;
    const simulator = new PayeeSimulator({
      fspId: payee.fspId, hubUrl, ilp: await loadIlpCodec(`${payee.fspId}-ilp-secret`), parties: onboarding.payeeParties,
      timeoutMs: timeouts.callbackMs, host: provision.payee.host, port: provision.payee.port ?? (callback.port ?? DEFAULT_URL_CALLBACK_PORT) + 1,
    });
    let listening: string;
    try {
      listening = await simulator.start();
    } catch (error) {
      throw new EnvironmentUnavailableError(`our payee DFSP cannot listen on ${provision.payee.host}:${provision.payee.port ?? 'the callback port + 1'} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another with provision.payee.port`, [], { cause: error });
    }
    return new TestDfsps(config, hubUrl, admin, simulator, provision.payee.publicUrl ?? listening, onboarding, transport);
  }

  get endpoints(): Record<string, string> {
    return { payeeDfsp: `${redactUrl(this.#payeeUrl)} (our payee DFSP, provisioned as ${this.#config.participants.payee.fspId})` };
  }

  /** What the hub told our payee about a transfer. */
  get observation(): PayeeObservation {
    return {
      transferErrors: async (transferId) => ({ errorCodes: this.#payee.errorsToldAbout(transferId), source: `our payee DFSP ${this.#payee.fspId} at ${redactUrl(this.#payeeUrl)} (what the hub sent it)` }),
    };
  }

  /** The calls provisioning would make on the hub, none made. */
  plan(payer: PayerConnection): Promise<PlannedCall[]> {
    return this.#provisioner(payer).plan();
  }

  /** Provisions both DFSPs (a re-run makes only what is missing) and notes what it did. */
  async provision(payer: PayerConnection): Promise<ProvisioningReport> {
    let report: ProvisioningReport;
    try {
      report = await this.#provisioner(payer).provision();
    } catch (error) {
      if (!(error instanceof ProvisioningError)) throw error;
      throw new EnvironmentUnavailableError(`our test DFSPs cannot be provisioned on the hub: ${error.message}`, [], { cause: error });
    }
    const count = (outcome: string) => report.entries.filter((entry) => entry.outcome === outcome).length;
    // What it changed first: re-pointing something that was there matters more to the hub's owner than what it added.
    const changed = [...report.entries.filter((entry) => entry.outcome === 'changed'), ...report.entries.filter((entry) => entry.outcome === 'created')];
    const { payer: ours, payee, bystander } = this.#config.participants;
    this.notes.push(`provisioned ${ours.fspId} (payer), ${payee.fspId} (payee) and ${bystander.fspId} (bystander, party to none of our transfers) on ${report.adminUrl}: `
      + `${count('created')} created, ${count('changed')} changed, ${count('already there') + count('kept')} already there, ${count('skipped')} skipped`
      + (changed.length > 0 ? ` (${changed.slice(0, 4).map((entry) => `${entry.outcome} ${entry.subject}`).join('; ')}${changed.length > 4 ? '; …' : ''})` : ''));
    if (report.removal.length > 0) this.notes.push('to remove what was provisioned, once no run needs it:', ...report.removal.map((line) => `  ${line}`));
    return report;
  }

  async stop(): Promise<void> {
    await this.#payee.stop();
  }

  #provisioner(payer: PayerConnection): HubProvisioner {
    const { participants, provision, timeouts } = this.#config;
    return new HubProvisioner({
      admin: this.#admin,
      parties: new FspiopPartyRegistry({ hubUrl: this.#hubUrl, askingFsp: payer.fspId, callbacks: payer.correlator, timeoutMs: timeouts.callbackMs, transport: this.#transport }),
      currency: participants.payer.currency,
      payer: { fspId: payer.fspId, callbackUrl: payer.callbackUrl },
      payee: { fspId: participants.payee.fspId, callbackUrl: this.#payeeUrl, parties: this.#parties },
      // It asks as our payer does, so its callbacks arrive at the payer's callback server.
      askers: [{ fspId: participants.bystander.fspId, callbackUrl: payer.callbackUrl }],
      initialPosition: 0,
      netDebitCap: Number(provision.netDebitCap),
      liquidity: Number(provision.liquidity),
    });
  }
}
