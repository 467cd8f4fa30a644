import { join } from 'node:path';
import { CONTROLLED_PAYEE_ROLES, DEFAULT_URL_CALLBACK_PORT, provisionsDfsps, type ConfigFor, type ControlledParty, type ControlledPayeeRole } from '../../config/schema.ts';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { Capability } from '../../catalogue/capabilities.ts';
import { probeClientCertificateDemand } from '../../support/tls-probe.ts';
import { joinUrl, redactUrl } from '../../support/url.ts';
import { configuredCallback } from '../callback-exposure.ts';
import type { CallbackExposure, CapabilityProviders, ConformanceEnvironment, EnvironmentDescription, PayerConnection, StartedEnvironment } from '../environment.ts';
import { HubAdminClient } from '../../fspiop/hub-admin-client.ts';
import { FspiopTransport } from '../../fspiop/fspiop-transport.ts';
import type { HubChangeRecorder } from '../../fspiop/hub-change.ts';
import { HubChangeJournal } from '../../provisioning/hub-change-journal.ts';
import type { PlannedCall } from '../../provisioning/hub-provisioner.ts';
import { TestDfsps } from './test-dfsps.ts';

/** Where a url run journals what it changes on the hub for a while (a lowered cap), so a killed run's change is put back. */
function hubChangeJournalFile(config: ConfigFor<'url'>): string {
  return join(config.reportsDir, '.hub-changes.json');
}

/**
 * A hub that already runs somewhere, given by URL. We attach, never deploy. With its admin API
 * (`hub.adminUrl`) the run provisions test DFSPs of its own on it (`TestDfsps`) — our payer, and a
 * payee we run in this process — so every functional guarantee is evaluated on any hub; without,
 * only the payer side is ours and the hub must already know where our callback server listens.
 */
export class UrlEnvironment implements ConformanceEnvironment {
  readonly kind = 'url' as const;
  readonly #config: ConfigFor<'url'>;
  readonly #transport: FspiopTransport;

  /** `transport`: the run's, with what our payer presents (`security`); the hub is reached, its admin API called and our DFSPs provisioned with it. */
  constructor(config: ConfigFor<'url'>, options: { transport?: FspiopTransport | undefined } = {}) {
    this.#config = config;
    this.#transport = options.transport ?? FspiopTransport.plain();
  }

  describeTarget(): string {
    return `url ${redactUrl(this.#config.hub.url ?? '')}`;
  }

  async start(): Promise<StartedEnvironment> {
    const hubUrl = this.#config.hub.url!;
    await reachHub(hubUrl, Math.min(this.#config.timeouts.startupMs, 10_000), this.#transport);
    const adminUrl = this.#config.hub.adminUrl;
    // A hub that outlives the run: what a scenario lowers on it is journaled, and put back by the next run if this one is killed.
    const ledger = adminUrl ? { admin: new HubAdminClient(adminUrl, this.#config.timeouts.requestMs, this.#transport), journal: new HubChangeJournal(hubChangeJournalFile(this.#config)) } : undefined;
    // Before anything else: a cap an interrupted run left lowered would fail the golden path, and that is ours, not the hub's.
    const restored = ledger ? await restoreInterruptedChanges(ledger.admin, ledger.journal) : [];
    const dfsps = ledger && provisionsDfsps(this.#config) ? await TestDfsps.start(this.#config, hubUrl, ledger.admin, this.#transport) : undefined;
    return new StartedUrlEnvironment(this.#config, hubUrl, dfsps, restored, ledger?.journal);
  }
}

class StartedUrlEnvironment implements StartedEnvironment {
  readonly kind = 'url' as const;
  readonly callbackRouteUnproven = true;
  readonly hubUrl: string;
  readonly provides: StartedEnvironment['provides'];
  /** A fixed port where none is configured: the user must tell the hub where we are (`npm run hub` points its payer here). */
  readonly callbackExposure: CallbackExposure;
  readonly #dfsps: TestDfsps | undefined;
  readonly #restored: string[];
  readonly #adminUrl: string | undefined;

  constructor(config: ConfigFor<'url'>, hubUrl: string, dfsps: TestDfsps | undefined, restored: string[], journal: HubChangeRecorder | undefined) {
    this.hubUrl = hubUrl;
    this.#dfsps = dfsps;
    this.#restored = restored;
    this.callbackExposure = configuredCallback(config.callback, DEFAULT_URL_CALLBACK_PORT);
    if (dfsps) this.provisioningPlan = (payer) => dfsps.plan(payer);
    // Only a payee the run itself provisions, or one the user runs and names, can be told to
    // misbehave: a party the hub under test named would let the hub choose the input of its own safety check.
    const controlled = dfsps?.controlledPayee ?? namedParties(config);
    const adminUrl = journal ? config.hub.adminUrl : undefined;
    this.#adminUrl = adminUrl;
    const ledger: Partial<Pick<CapabilityProviders, 'admin-api' | 'hub-ledger'>> = adminUrl && journal ? { 'admin-api': { adminUrl }, 'hub-ledger': { adminUrl, hubChanges: journal } } : {};
    this.provides = {
      'fspiop-api': true,
      ...(Object.keys(controlled).length > 0 ? { 'controlled-payee': controlled } : {}),
      ...(dfsps ? { 'payee-observation': dfsps.observation, 'bystander-dfsp': true } as const : {}),
      ...ledger,
    };
  }

  describe(): EnvironmentDescription {
    return {
      kind: this.kind,
      summary: this.#dfsps ? 'hub under test given by URL (attached, not deployed), with test DFSPs this run provisioned on it' : 'hub under test given by URL (attached, not deployed)',
      endpoints: { hub: redactUrl(this.hubUrl), ...(this.#adminUrl ? { hubAdmin: redactUrl(this.#adminUrl) } : {}), ...this.#dfsps?.endpoints },
      notes: [...this.#restored, ...this.#dfsps?.notes ?? []],
    };
  }

  whyMissing(capability: Capability): string {
    if (capability === 'controlled-payee') {
      return 'no payee under our control: set hub.adminUrl so the run provisions its own test DFSPs on the hub, '
        + `or name parties of a payee DFSP you run in the config (parties.${Object.keys(CONTROLLED_PAYEE_ROLES).join(', parties.')})`;
    }
    if (capability === 'payee-observation') return 'the payee DFSP is yours: the framework cannot see what the hub told it (set hub.adminUrl and the run provisions a payee of its own)';
    if (capability === 'bystander-dfsp') {
      return 'the hub knows no third DFSP of ours: set hub.adminUrl so the run provisions participants.bystander with its callbacks at our callback server';
    }
    if (capability === 'admin-api') return 'hub.adminUrl is not configured';
    if (capability === 'hub-ledger') return 'set hub.adminUrl to the hub\'s admin API (central-ledger, port 3001) to read positions and set a net debit cap';
    return `a hub given by URL offers only its FSPIOP API; ${capability} needs a compose or kubernetes target, which this version does not have yet`;
  }

  /** Declared only where the run provisions: its presence is the capability. */
  readonly provisioningPlan?: (payer: PayerConnection) => Promise<PlannedCall[]>;

  async connectPayer(payer: PayerConnection): Promise<void> {
    // Without provisioning the hub's own onboarding (e.g. the Testing Toolkit's) must point the payer's endpoints at our callback URL.
    await this.#dfsps?.provision(payer);
  }

  async stop(): Promise<void> {
    await this.#dfsps?.stop();
  }
}

/** Puts back what an interrupted run left changed on this hub (journaled before it was changed), and says what. */
async function restoreInterruptedChanges(admin: HubAdminClient, journal: HubChangeJournal): Promise<string[]> {
  try {
    const restored = await journal.restorePending(admin);
    return restored.map((change) => `put back what an interrupted run left changed on the hub: ${change.description} (changed ${change.recordedAt}); no verdict blames the hub for it`);
  } catch (error) {
    throw new EnvironmentUnavailableError(`a change an interrupted run left on the hub cannot be put back: ${(error as Error).message}`, [], { cause: error });
  }
}

/** The parties of a payee DFSP the user runs and names in the config, by role. */
function namedParties(config: ConfigFor<'url'>): Partial<Record<ControlledPayeeRole, ControlledParty>> {
  return Object.fromEntries(Object.keys(CONTROLLED_PAYEE_ROLES).flatMap((role) => {
    const party = config.parties[role as ControlledPayeeRole];
    return party ? [[role, party]] : [];
  })) as Partial<Record<ControlledPayeeRole, ControlledParty>>;
}

/** Any HTTP answer proves the hub is there; no answer is a user-facing error that names the URL and the way out. */
async function reachHub(hubUrl: string, timeoutMs: number, transport: FspiopTransport): Promise<void> {
  // With credentials, the hub is reached as our DFSP reaches it: our CA, our certificate, our token.
  if (transport.secured) return reachSecuredHub(hubUrl, timeoutMs, transport);
  try {
    const response = await fetch(joinUrl(hubUrl, '/health'), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    // A hub that demands a client certificate closes on us after the handshake: it is there, and
    // mutual TLS is its answer, not an outage.
    if (hubUrl.startsWith('https:') && (await probeClientCertificateDemand(new URL(hubUrl), timeoutMs)).outcome === 'demanded') return;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms`
      : cause?.code === 'ECONNREFUSED' ? 'connection refused'
        : cause?.code === 'ENOTFOUND' ? 'host not found'
          : /wrong version number|WRONG_VERSION_NUMBER/i.test(`${cause?.code ?? ''} ${cause?.message ?? ''}`) ? 'it does not speak TLS there — is it plain http?'
            : (cause?.message ?? (error as Error).message).split('\n')[0];
    throw new EnvironmentUnavailableError(`hub at ${redactUrl(hubUrl)} is unreachable (${why}); start it (e.g. \`npm run hub\`) or correct --hub-url / hub.url`, [], { cause: error });
  }
}

/** Any HTTP answer to GET /health through the run's transport means the hub is there. */
async function reachSecuredHub(hubUrl: string, timeoutMs: number, transport: FspiopTransport): Promise<void> {
  try {
    await transport.sendJson({ method: 'GET', url: joinUrl(hubUrl, '/health'), timeoutMs });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'TIMEOUT' ? `no answer within ${timeoutMs} ms`
      : code === 'ECONNREFUSED' ? 'connection refused'
        : code === 'ENOTFOUND' ? 'host not found'
          : `${(error as Error).message.split('\n')[0]}${code && !(error as Error).message.includes(code) ? ` (${code})` : ''}`;
    throw new EnvironmentUnavailableError(`hub at ${redactUrl(hubUrl)} is unreachable with the configured credentials (${why}); check hub.url and security`, [], { cause: error });
  }
}
