import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigFor, ControlledParty, ControlledPayeeRole } from '../../config/schema.ts';
import type { Capability } from '../../catalogue/capabilities.ts';
import type { DfspCredentials } from '../../fspiop/credentials.ts';
import { createAgents, PLAIN_TRANSPORT, sendHttp, type OutboundTransport } from '../../fspiop/outbound.ts';
import { issuedAdminCredentials, issuedDfspCredentials, type HubSecurityMaterial } from '../../hub/hub-credentials.ts';
import { HubFaults } from '../../hub/hub-faults.ts';
import { configuredCallback } from '../callback-exposure.ts';
import type { CallbackExposure, ConformanceEnvironment, EnvironmentDescription, PayerConnection, Providers, StartedEnvironment } from '../environment.ts';
import { issueDeploymentSecurity } from './deployment-security.ts';
import { DeploymentThread } from './deployment-thread.ts';
import { readOnboarding } from '../onboarding.ts';
import { hubSourceIds, type DeploymentUrls } from './reference-deployment.ts';

const MISSING: Partial<Record<Capability, string>> = {
  'compose-inventory': 'the embedded target runs in-process and has no containers; a compose target (Core Test Harness via testcontainers) is not in this version yet',
  'kubernetes-inventory': 'the embedded target has no Kubernetes cluster; a kubernetes target (inventory through the Kubernetes API) is not in this version yet',
  'resource-metrics': 'the embedded target shares this process; its CPU and memory say nothing about a deployment',
  'data-tier-fault-injection': 'the embedded hub keeps its ledger in a file of its own process: there is no database or broker node to kill (a compose or kubernetes target can stop MySQL or a Kafka broker)',
};

/** The services of a Mojaloop hub the embedded hub plays all at once: killing "one pod" of any of them kills it. */
const HUB_COMPONENTS = /central-?ledger|ml-?api-?adapter|quoting-?service|account-?lookup|\bhub\b/i;

/** The built-in reference hub and simulated DFSPs on loopback: runs anywhere, needs nothing installed. */
export class EmbeddedEnvironment implements ConformanceEnvironment {
  readonly kind = 'embedded' as const;
  readonly #config: ConfigFor<'embedded'>;

  constructor(config: ConfigFor<'embedded'>) {
    this.#config = config;
  }

  describeTarget(): string {
    return `embedded (built-in reference hub on loopback${this.#config.hub.security === 'full' ? ', fully secured' : ''})`;
  }

  async start(): Promise<StartedEnvironment> {
    // Read here first: a broken fixture is the user's to fix (exit 2), not an unavailable target.
    const { controlledPayee, participants } = readOnboarding(this.#config);
    const hasBystander = participants.some((participant) => participant.role === 'bystander');
    // The ledger lives in a file even when the user keeps none: a hub killed mid-run must come back with its books, as a real one does.
    const keepsNoFile = this.#config.embedded.dataDir !== undefined || this.#config.embedded.faults.volatileLedger === true;
    const scratch = keepsNoFile ? undefined : await mkdtemp(join(tmpdir(), 'conformance-embedded-hub-'));
    const config = scratch ? { ...this.#config, embedded: { ...this.#config.embedded, dataDir: scratch } } : this.#config;
    try {
      // Made here, not on the hub's thread: our payer needs what was issued to it, and a restarted hub the same CA and keys.
      const security = config.hub.security === 'full' ? await issueDeploymentSecurity(config) : undefined;
      // On its own thread: under load the hub and our payer each get a core.
      const { thread, urls } = await DeploymentThread.start(config, security ? { security } : {});
      return new StartedEmbeddedEnvironment(config, thread, controlledPayee, urls, scratch, hasBystander, security);
    } catch (error) {
      if (scratch) await rm(scratch, { recursive: true, force: true });
      throw error;
    }
  }
}

class StartedEmbeddedEnvironment implements StartedEnvironment {
  readonly kind = 'embedded' as const;
  readonly callbackRouteUnproven = false;
  readonly provides: Providers;
  readonly hubUrl: string;
  readonly adminUrl: string;
  readonly issuedCredentials?: DfspCredentials;
  readonly #config: ConfigFor<'embedded'>;
  readonly #security: HubSecurityMaterial | undefined;
  /** How the run reads what the simulated payee was told: plain, or with our certificate when the payee serves https. */
  readonly #payeeClient: OutboundTransport;
  readonly #urls: DeploymentUrls;
  readonly #scratch: string | undefined;
  #deployment: Promise<DeploymentThread>;
  #payer: { fspId: string; url: string } | undefined;
  #stopped: Promise<void> | undefined;

  constructor(config: ConfigFor<'embedded'>, deployment: DeploymentThread, controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>>,
    urls: DeploymentUrls, scratch: string | undefined, hasBystander: boolean, security: HubSecurityMaterial | undefined) {
    this.#config = config;
    this.#security = security;
    const admin = security && urls.tokenUrl ? { credentials: issuedAdminCredentials(security, urls.tokenUrl) } : {};
    if (security && urls.tokenUrl) this.issuedCredentials = issuedDfspCredentials(security, config.participants.payer.fspId, urls.tokenUrl, hubSourceIds(config));
    this.#payeeClient = this.issuedCredentials?.tls ? { agents: createAgents(this.issuedCredentials.tls) } : PLAIN_TRANSPORT;
    this.#deployment = Promise.resolve(deployment);
    this.#urls = urls;
    this.#scratch = scratch;
    this.hubUrl = urls.hubUrl;
    this.adminUrl = urls.adminUrl;
    this.provides = {
      'fspiop-api': true,
      'controlled-payee': controlledPayee,
      'payee-observation': {
        transferErrors: async (transferId) => {
          const url = `${urls.payeeUrl}/conformance/transfers/${encodeURIComponent(transferId)}`;
          // Secured, the payee's endpoint demands a certificate of the hub's CA: ours (both DFSPs are the run's).
          const answer = await sendHttp({ method: 'GET', url, timeoutMs: config.timeouts.requestMs, detectSilentPeer: false }, { accept: 'application/json' }, this.#payeeClient);
          return { errorCodes: (JSON.parse(answer.body) as { errorCodes: string[] }).errorCodes, source: `GET ${url} (the simulated payee DFSP)` };
        },
      },
      'admin-api': { adminUrl: urls.adminUrl, ...admin },
      // The hub is this run's and goes with it: a change made on it needs no journal on disk.
      'hub-ledger': { adminUrl: urls.adminUrl, hubChanges: { record: async () => randomUUID(), settle: async () => undefined }, ...admin },
      'fault-injection': { killOne: (component) => this.#killHub(component) },
      ...(hasBystander ? { 'bystander-dfsp': true } as const : {}),
    };
  }

  /** The embedded hub registers our callback URL itself: any free port will do. */
  get callbackExposure(): CallbackExposure {
    return configuredCallback(this.#config.callback, 0);
  }

  describe(): EnvironmentDescription {
    // A run against a hub told to misbehave must never read like a run against a sound one.
    const faults = new HubFaults(this.#config.embedded.faults).active;
    // The posture, never a secret: what is demanded, not what was issued.
    const posture = this.#security
      ? ' — fully secured: TLS 1.2+ with client certificates (a CA made at start), OAuth2 bearer tokens, JWS on POST/PUT, admin API closed to anonymous calls'
      : ' — plain and open (no TLS, tokens or signatures: the development tiers\' posture)';
    return {
      kind: this.kind,
      summary: `embedded reference hub (its own callbacks in FSPIOP v${this.#config.embedded.fspiopVersion}) with a simulated payee DFSP, on loopback${posture}${faults.length > 0 ? ` — FAULTS INJECTED: ${faults.join(', ')}` : ''}`,
      endpoints: {
        hub: this.hubUrl, hubAdmin: this.adminUrl, ...(this.#urls.payeeUrl ? { payeeDfsp: this.#urls.payeeUrl } : {}),
        ...(this.#urls.tokenUrl ? { tokenEndpoint: this.#urls.tokenUrl } : {}),
      },
    };
  }

  whyMissing(capability: Capability): string {
    if (capability === 'bystander-dfsp') return `the onboarding fixture ${this.#config.embedded.onboarding} onboards no participant with role: bystander; add one (see fixtures/hub/onboarding.yaml)`;
    return MISSING[capability] ?? `the embedded target does not provide ${capability}`;
  }

  async connectPayer({ fspId, callbackUrl }: PayerConnection): Promise<void> {
    this.#payer = { fspId, url: callbackUrl };
    await (await this.#deployment).connectPayer(fspId, callbackUrl);
  }

  /**
   * The hub's thread ends at once (nothing closed, callbacks in flight lost), and a new one starts on
   * the same ports and the same ledger file, as a killed pod is replaced.
   */
  async #killHub(component: string): Promise<string | undefined> {
    if (!HUB_COMPONENTS.test(component) || this.#stopped) return undefined;
    const previous = this.#deployment;
    const port = (url: string) => Number(new URL(url).port);
    // The restart is the deployment from now on: a stop() arriving meanwhile waits for it and stops what it started.
    this.#deployment = (async () => {
      await (await previous).kill();
      if (this.#stopped) throw new Error('the environment stopped while its hub was being restarted');
      const { thread } = await DeploymentThread.start(this.#config, {
        hubPort: port(this.#urls.hubUrl), adminPort: port(this.#urls.adminUrl), payeePort: this.#urls.payeeUrl ? port(this.#urls.payeeUrl) : undefined, payerEndpoint: this.#payer?.url,
        ...(this.#security && this.#urls.tokenUrl ? { security: this.#security, tokenPort: port(this.#urls.tokenUrl) } : {}),
      });
      return thread;
    })();
    await this.#deployment;
    return `the embedded hub (playing ${component}) was killed at once and restarted on its ledger`;
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await (await this.#deployment.catch(() => undefined))?.stop();
      if (this.#payeeClient !== PLAIN_TRANSPORT) for (const agent of Object.values(this.#payeeClient.agents)) agent.destroy();
      if (this.#scratch) await rm(this.#scratch, { recursive: true, force: true });
    })();
    return this.#stopped;
  }
}

