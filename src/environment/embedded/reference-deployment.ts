import { join } from 'node:path';
import { embeddedSettings, type ConformanceConfig, type ControlledParty, type ControlledPayeeRole } from '../../config/schema.ts';
import { loadIlpCodec } from '../../dfsp/ilp-codec.ts';
import { PayeeSimulator } from '../../dfsp/payee-simulator.ts';
import { HubAdminApi } from '../../hub/admin-api.ts';
import { issuedDfspCredentials, type HubSecurityMaterial } from '../../hub/hub-credentials.ts';
import { HubSecurity } from '../../hub/hub-security.ts';
import { OAuth2TokenEndpoint } from '../../hub/oauth2-token-endpoint.ts';
import { HubLedger } from '../../hub/ledger.ts';
import { SqliteLedgerStore } from '../../hub/ledger-store.ts';
import { MySqlLedgerStore } from '../../hub/mysql-ledger.ts';
import { HUB_SOURCE, ReferenceHub } from '../../hub/reference-hub.ts';
import type { DfspCredentials } from '../../fspiop/credentials.ts';
import { ensureDirectorySync } from '../../support/files.ts';
import { readOnboarding, type Onboarding } from '../onboarding.ts';

export interface ReferenceDeploymentOptions {
  host?: string;
  hubPort?: number;
  adminPort?: number;
  payeePort?: number;
  /** Where the hub delivers the payer's (and the bystander's) callbacks until `connectPayer` says otherwise. */
  payerEndpoint?: string;
  /** What a `crashAfterTransfers` fault does (tests replace the kill -9). */
  crash?: () => void;
  /**
   * The simulated payee DFSP runs elsewhere (fixtures/harness: its own container, `npm run payee`):
   * this deployment onboards its participant without callback endpoints, which a provisioning job
   * registers through the admin API, as the real harness's ttk-provisioning does.
   */
  externalPayee?: boolean;
  /**
   * Keep the books in MySQL/MariaDB at this URL (mysql://USER:PASSWORD@HOST:PORT/DATABASE), as
   * central-ledger does, instead of SQLite (embedded.dataDir or memory).
   */
  ledgerUrl?: string;
  /**
   * Serve fully secured with this material (`issueHubSecurity`): the FSPIOP API over mutual TLS
   * with tokens and JWS, the admin API over TLS with tokens, a token endpoint on `tokenPort`, and
   * the simulated payee presenting the credentials issued to it.
   */
  security?: HubSecurityMaterial;
  tokenPort?: number;
}

export interface DeploymentUrls {
  hubUrl: string;
  adminUrl: string;
  /** Undefined with `externalPayee`. */
  payeeUrl: string | undefined;
  /** The OAuth2 token endpoint of a secured deployment. */
  tokenUrl?: string | undefined;
}

/**
 * The built-in deployment the embedded target and `npm run hub` both run: the reference hub and
 * its admin API, provisioned from the onboarding fixture with the payer and payee DFSPs of the
 * config, and a simulated payee DFSP holding the fixture's parties (the payee party and the
 * parties that misbehave on purpose).
 */
export class ReferenceDeployment {
  readonly hub: ReferenceHub;
  readonly #admin: HubAdminApi;
  readonly #security: HubSecurity | undefined;
  readonly #tokenEndpoint: OAuth2TokenEndpoint | undefined;
  readonly #onboarding: Onboarding;
  #payee: PayeeSimulator | undefined;
  readonly #config: ConformanceConfig;
  readonly #options: ReferenceDeploymentOptions;

  /** Reads the onboarding fixture (a ConfigError when it is invalid) and opens the ledger. */
  constructor(config: ConformanceConfig, options: ReferenceDeploymentOptions = {}) {
    this.#config = config;
    this.#options = options;
    this.#onboarding = readOnboarding(config);
    // Any config will do (a test's, `npm run hub`'s): the embedded hub's settings, or their defaults.
    const embedded = embeddedSettings(config);
    const dataDir = embedded.faults.volatileLedger || options.ledgerUrl ? undefined : embedded.dataDir;
    // Synchronously: the ledger file is opened on the next line (an unawaited mkdir raced it and lost in a fresh container).
    if (dataDir) ensureDirectorySync(dataDir);
    this.#security = options.security && new HubSecurity(options.security);
    this.#tokenEndpoint = this.#security && new OAuth2TokenEndpoint(this.#security.tokens, this.#security.serverTls);
    const store = options.ledgerUrl
      ? new MySqlLedgerStore(options.ledgerUrl)
      : new SqliteLedgerStore(new HubLedger(dataDir ? join(dataDir, 'hub-ledger.sqlite') : undefined), dataDir ?? 'in memory');
    this.hub = new ReferenceHub({
      host: options.host, port: options.hubPort ?? 0, deliveryTimeoutMs: config.timeouts.callbackMs,
      callbackDelayMs: embedded.callbackDelayMs, store, faults: embedded.faults, crash: options.crash,
      fspiopVersion: embedded.fspiopVersion, ...(this.#security ? { security: this.#security } : {}),
    });
    this.#admin = new HubAdminApi(this.hub.store, this.#security);
  }

  /** The simulated payee's parties, by the functional scenario that addresses them. */
  get controlledPayee(): Partial<Record<ControlledPayeeRole, ControlledParty>> {
    return this.#onboarding.controlledPayee;
  }

  get payee(): PayeeSimulator {
    if (!this.#payee) throw new Error('the reference deployment has not been started');
    return this.#payee;
  }

  async start(): Promise<DeploymentUrls> {
    const { participants } = this.#config;
    const host = this.#options.host ?? '127.0.0.1';
    try {
      await this.hub.store.open();
      await this.hub.restoreParties();
      const hubUrl = await this.hub.start();
      const adminUrl = await this.#admin.start(this.#options.adminPort ?? 0, host);
      const tokenUrl = await this.#tokenEndpoint?.start(this.#options.tokenPort ?? 0, host);
      let payeeUrl: string | undefined;
      if (!this.#options.externalPayee) {
        const credentials = this.#options.security && tokenUrl
          ? issuedDfspCredentials(this.#options.security, this.#config.participants.payee.fspId, tokenUrl, hubSourceIds(this.#config))
          : undefined;
        this.#payee = simulatedPayee(this.#config, this.#onboarding, { hubUrl, host, port: this.#options.payeePort, credentials }, await loadIlpCodec(payeeIlpSecret(this.#config)));
        payeeUrl = await this.#payee.start();
      }
      for (const participant of this.#onboarding.participants) {
        // The bystander is ours as the payer is: its callbacks arrive at the payer's callback server.
        const endpoint = participant.role === 'payee' ? payeeUrl : this.#options.payerEndpoint;
        await this.hub.onboard({ ...participant, endpoint });
      }
      this.hub.oracle.register(participants.payer.party, participants.payer.fspId);
      for (const party of this.#onboarding.payeeParties) this.hub.oracle.register(party, participants.payee.fspId);
      await this.hub.resumeExpiries();
      return { hubUrl, adminUrl, payeeUrl, tokenUrl };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Points the payer's callbacks, and the bystander's when the fixture onboards one, at our callback server. */
  async connectPayer(fspId: string, callbackUrl: string): Promise<void> {
    await this.hub.connect(fspId, callbackUrl);
    if (this.hasBystander) await this.hub.connect(this.#config.participants.bystander.fspId, callbackUrl);
  }

  /** Whether the onboarding fixture onboards a bystander DFSP (FUN-19 asks as it). */
  get hasBystander(): boolean {
    return this.#onboarding.participants.some((participant) => participant.role === 'bystander');
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.#payee?.stop(), this.hub.stop(), this.#admin.stop(), this.#tokenEndpoint?.stop()]);
    await this.hub.store.close();
  }
}

/** The payee's ILP secret: the hub's deployment and a payee running on its own must agree on it. */
function payeeIlpSecret(config: ConformanceConfig): string {
  return `${config.participants.payee.fspId}-ilp-secret`;
}

/** The FSPIOP-Source values the hub signs its own callbacks under: what a DFSP of ours verifies with the hub's key. */
export function hubSourceIds(config: ConformanceConfig): string[] {
  return [...new Set([HUB_SOURCE, ...config.hub.sourceIds, ...(embeddedSettings(config).faults.callbackSource ? [embeddedSettings(config).faults.callbackSource!] : [])])];
}

function simulatedPayee(config: ConformanceConfig, onboarding: Onboarding,
  where: { hubUrl: string; host: string; port?: number | undefined; credentials?: DfspCredentials | undefined }, ilp: Awaited<ReturnType<typeof loadIlpCodec>>): PayeeSimulator {
  return new PayeeSimulator({
    fspId: config.participants.payee.fspId, hubUrl: where.hubUrl, ilp, parties: onboarding.payeeParties,
    delayMs: embeddedSettings(config).payeeDelayMs, timeoutMs: config.timeouts.callbackMs, host: where.host, port: where.port,
    ...(where.credentials ? { credentials: where.credentials } : {}),
  });
}

/**
 * The simulated payee DFSP on its own, talking to a hub at `hubUrl` (`npm run payee`; the harness's
 * `simulator` service): the parties of the onboarding fixture, as the deployment's own payee holds them.
 */
export async function startSimulatedPayee(config: ConformanceConfig, where: { hubUrl: string; host: string; port: number }): Promise<{ url: string; fspId: string; stop(): Promise<void> }> {
  const payee = simulatedPayee(config, readOnboarding(config), where, await loadIlpCodec(payeeIlpSecret(config)));
  const url = await payee.start();
  return { url, fspId: config.participants.payee.fspId, stop: () => payee.stop() };
}
