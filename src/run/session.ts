import { randomUUID } from 'node:crypto';
import type { Capability, CapabilitySource } from '../catalogue/capabilities.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import { capabilitySource, providerOf, serves, type CapabilityProviders, type Providers, type ProvidingSource } from '../environment/capability-providers.ts';
import type { StartedEnvironment } from '../environment/environment.ts';
import { isNotEvaluated, type Finding } from '../evidence/finding.ts';
import { HubAdminClient } from '../fspiop/hub-admin-client.ts';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import { FspiopTransport } from '../fspiop/fspiop-transport.ts';
import type { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import type { FspiopSpecification } from '../fspiop/spec-validation.ts';
import { TransfersPut } from '../fspiop/payloads.ts';
import type { LoadProfile } from '../load/load-profiles.ts';
import type { LoadOffer, LoadProgress, LoadRunner } from '../load/load-runner.ts';
import { LoadSession, type MeasuredLoad } from '../load/load-session.ts';
import { HubLedgerProbe } from '../probes/hub-ledger-probe.ts';
import { componentKindsWith } from '../inventory/component-kinds.ts';
import { InventoryProbe } from '../probes/inventory-probe.ts';
import { MessageConformance } from '../probes/message-conformance.ts';
import { P2pTransferProbe } from '../probes/p2p-transfer-probe.ts';
import { SlaProbe } from '../probes/sla-probe.ts';

/**
 * What the step definitions of one run use: the validated config, the started environment, our
 * payer DFSP, the capabilities the run has — and what is read or run once and shared by its
 * scenarios (the inventory, each distinct load).
 */
export class RunSession {
  readonly config: ConformanceConfig;
  readonly environment: StartedEnvironment;
  readonly payer: PayerDfsp;
  /** Our third DFSP, party to none of our transfers, sharing the payer's callback server; only on a target with `bystander-dfsp`. */
  readonly bystander: PayerDfsp | undefined;
  /** The environment's capabilities plus those the run grants (a load runner, reviewer attestations), for the `@needs:` gate. */
  readonly capabilities: CapabilitySource;
  readonly #granted: ProvidingSource;
  /**
   * What our payer presents (issued by the target, else the config's): for the security probe,
   * which must leave out one credential at a time and so cannot go through the transport alone.
   * A secret: never described, logged or reported.
   */
  readonly credentials: DfspCredentials | undefined;
  /** Holds every FSPIOP message of the run to the specification. */
  readonly conformance: MessageConformance;
  readonly #admin: HubAdminClient | undefined;
  /** The operator's client of an admin API that demands its own token (the secured embedded hub), closed with the session. */
  readonly #adminTransport: FspiopTransport | undefined;
  readonly #load: LoadSession;
  #inventory: Promise<InventoryProbe> | undefined;

  constructor(config: ConformanceConfig, environment: StartedEnvironment,
    dfsps: { payer: PayerDfsp; bystander?: PayerDfsp | undefined; transport?: FspiopTransport | undefined; credentials?: DfspCredentials | undefined }, spec: FspiopSpecification,
    load: { runner: LoadRunner | undefined; profile: LoadProfile; onProgress?: (progress: LoadProgress) => void; signal?: AbortSignal }) {
    this.config = config;
    this.environment = environment;
    this.payer = dfsps.payer;
    this.bystander = dfsps.bystander;
    this.credentials = dfsps.credentials;
    this.#granted = withGrants(environment, config, load.runner !== undefined);
    this.capabilities = capabilitySource(this.#granted);
    this.conformance = new MessageConformance(spec, { senders: [...config.hub.sourceIds, config.participants.payee.fspId] });
    const ledger = this.has('hub-ledger') ? this.provider('hub-ledger') : undefined;
    // An admin API with an operator's client of its own takes that token, not our DFSP's (whose scope is the FSPIOP API).
    const operator = ledger?.credentials;
    this.#adminTransport = operator ? FspiopTransport.from({ tls: { certPem: '', keyPem: '', caPem: operator.caPem }, oauth2: operator.oauth2 }) : undefined;
    this.#admin = ledger ? new HubAdminClient(ledger.adminUrl, config.timeouts.requestMs, this.#adminTransport ?? dfsps.transport) : undefined;
    this.#load = new LoadSession({
      targetKind: environment.kind, profile: load.profile, runner: load.runner, faults: this.has('fault-injection') ? this.provider('fault-injection') : undefined,
      confirmCommitted: (transferId) => this.#confirmCommitted(transferId),
      ...(load.onProgress ? { onProgress: load.onProgress } : {}),
      ...(load.signal ? { signal: load.signal } : {}),
    });
  }

  /** Closes what the session opened itself (the operator's admin connections). */
  release(): void {
    this.#adminTransport?.close();
  }

  /** The loads the run's scenarios measured so far: the runner's whole summary (series, histograms, latency over time), kept for the reports. */
  get loads(): readonly MeasuredLoad[] {
    return this.#load.measured;
  }

  /**
   * The provider of a capability the run has. A step reads one only behind its `@needs:` tag, so
   * an absent one is a defect of the step, thrown as such.
   */
  provider<C extends Capability>(capability: C): CapabilityProviders[C] {
    return providerOf(this.#granted, capability);
  }

  /** Whether the run has a capability (the gate has it too; this is for what a probe may do beside it). */
  has(capability: Capability): boolean {
    return serves(this.#granted, capability);
  }

  /** A P2P probe for one scenario. */
  p2pProbe(): P2pTransferProbe {
    return new P2pTransferProbe(this.payer, this.config, this.conformance, this.bystander);
  }

  /** A probe of the payer's books at the hub for one scenario; undefined without the `hub-ledger` capability (the gate says why). */
  ledgerProbe(): HubLedgerProbe | undefined {
    return this.#admin && new HubLedgerProbe(this.#admin, this.config, this.provider('hub-ledger').hubChanges);
  }

  /** The deployment's inventory (compose or Kubernetes, whichever the target reads), read once per run. */
  inventory(): Promise<InventoryProbe> {
    this.#inventory ??= (async () => {
      const reader = this.has('compose-inventory') ? this.provider('compose-inventory') : this.provider('kubernetes-inventory');
      return new InventoryProbe(await reader.inventory(), { kinds: componentKindsWith(this.config.components) });
    })();
    return this.#inventory;
  }

  /**
   * What `measure` reads from the load a scenario asked for (run once per distinct request, scaled
   * to the profile), or why it could not run. The finding carries the offered load, so a verdict
   * judged under a reduced load is never taken for a full-threshold one.
   */
  async underLoad(asked: LoadOffer, fault: string | undefined, measure: (probe: SlaProbe) => Finding, guarantee?: string): Promise<Finding> {
    const outcome = await this.#load.run(asked, fault, guarantee);
    if (outcome.kind === 'not-evaluated') return { notEvaluated: outcome.reason };
    const finding = measure(new SlaProbe(outcome.summary, outcome.validity));
    if (isNotEvaluated(finding)) return finding;
    const measurements = Array.isArray(finding) ? finding : finding.measurements;
    return { measurements, reducedLoad: { asked: outcome.asked, offered: outcome.offered } };
  }

  /** The validity gate's question to the hub: is this transfer COMMITTED? */
  async #confirmCommitted(transferId: string): Promise<true | string> {
    const exchange = await this.payer.queryTransfer(transferId);
    if (exchange.callback?.kind !== 'success') return `could not be asked back (${exchange.timedOut ? 'no callback' : exchange.callback ? 'error callback' : 'no answer'})`;
    const state = TransfersPut.safeParse(exchange.callback.body);
    if (!state.success) return 'answered with an invalid body';
    return state.data.transferState === 'COMMITTED' ? true : `is ${state.data.transferState} at the hub`;
  }
}

/** The target's providers, plus what the run grants: a load runner (where there is an FSPIOP API to load), reviews. */
function withGrants(environment: StartedEnvironment, config: ConformanceConfig, runsLoad: boolean): ProvidingSource {
  const provides: Providers = {
    ...environment.provides,
    ...(runsLoad && serves(environment, 'fspiop-api') ? { load: true } as const : {}),
    ...(config.attestations.length > 0 ? { 'human-review': true } as const : {}),
  };
  return {
    provides,
    whyMissing: (capability) => {
      if (capability === 'human-review') return 'no reviewer attestation in the config (attestations: [{ guarantee, reviewer, date, reference }])';
      return environment.whyMissing(capability);
    },
  };
}

/**
 * Sessions of the runs in progress, by id. Cucumber clones world parameters for every scenario
 * (structuredClone), so a run hands its steps the id, never the session itself; several runs may
 * be in progress in one process.
 */
const sessions = new Map<string, RunSession>();

export type SessionParameters = { runSession: string };

export function registerSession(session: RunSession): { parameters: SessionParameters; session: RunSession; close(): void } {
  const id = randomUUID();
  sessions.set(id, session);
  return {
    parameters: { runSession: id }, session,
    close: () => {
      sessions.delete(id);
      session.release();
    },
  };
}

/** The session of the run a scenario belongs to, from its world parameters. */
export function sessionFrom(parameters: unknown): RunSession {
  const id = (parameters as Partial<SessionParameters> | undefined)?.runSession;
  const session = id === undefined ? undefined : sessions.get(id);
  if (!session) {
    throw new Error('no conformance session is active: run the features through `npm run conformance`, not a bare cucumber-js');
  }
  return session;
}
