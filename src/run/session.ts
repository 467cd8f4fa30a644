import { randomUUID } from 'node:crypto';
import type { Capability, CapabilitySource } from '../catalogue/capabilities.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import type { StartedEnvironment } from '../environment/environment.ts';
import { isNotEvaluated, type Finding } from '../evidence/finding.ts';
import { HubAdminClient } from '../fspiop/hub-admin-client.ts';
import type { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import type { FspiopSpecification } from '../fspiop/spec-validation.ts';
import { TransfersPut } from '../fspiop/payloads.ts';
import type { LoadProfile } from '../load/load-profiles.ts';
import type { LoadOffer, LoadProgress, LoadRunner, LoadSummary } from '../load/load-runner.ts';
import { LoadSession } from '../load/load-session.ts';
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
  /** The environment's capabilities plus those the config grants (reviewer attestations, admin URL). */
  readonly capabilities: CapabilitySource;
  /** Holds every FSPIOP message of the run to the specification. */
  readonly conformance: MessageConformance;
  readonly #admin: HubAdminClient | undefined;
  readonly #load: LoadSession;
  #inventory: Promise<InventoryProbe> | undefined;

  constructor(config: ConformanceConfig, environment: StartedEnvironment, dfsps: { payer: PayerDfsp; bystander?: PayerDfsp | undefined }, spec: FspiopSpecification,
    load: { runner: LoadRunner | undefined; profile: LoadProfile; onProgress?: (progress: LoadProgress) => void; signal?: AbortSignal }) {
    this.config = config;
    this.environment = environment;
    this.payer = dfsps.payer;
    this.bystander = dfsps.bystander;
    this.capabilities = withGrants(environment, config, load.runner !== undefined);
    this.conformance = new MessageConformance(spec, { senders: [...config.hub.sourceIds, config.participants.payee.fspId] });
    this.#admin = environment.adminUrl ? new HubAdminClient(environment.adminUrl, config.timeouts.requestMs) : undefined;
    this.#load = new LoadSession({
      targetKind: environment.kind, profile: load.profile, runner: load.runner, faults: environment.faults,
      confirmCommitted: (transferId) => this.#confirmCommitted(transferId),
      ...(load.onProgress ? { onProgress: load.onProgress } : {}),
      ...(load.signal ? { signal: load.signal } : {}),
    });
  }

  /** The loads the run's scenarios measured so far. */
  get loads(): readonly LoadSummary[] {
    return this.#load.measured;
  }

  /** A P2P probe for one scenario. */
  p2pProbe(): P2pTransferProbe {
    return new P2pTransferProbe(this.payer, this.config, this.conformance, this.bystander);
  }

  /** A probe of the payer's books at the hub for one scenario; undefined without the `hub-ledger` capability (the gate says why). */
  ledgerProbe(): HubLedgerProbe | undefined {
    return this.#admin && this.environment.hubChanges && new HubLedgerProbe(this.#admin, this.config, this.environment.hubChanges);
  }

  /** The deployment's inventory, read once per run. */
  inventory(): Promise<InventoryProbe> {
    const environment = this.environment;
    if (!environment.inventory) {
      return Promise.reject(new Error(`target ${environment.kind} declares an inventory capability but reads no inventory`));
    }
    this.#inventory ??= environment.inventory().then((inventory) => new InventoryProbe(inventory, { kinds: componentKindsWith(this.config.components) }));
    return this.#inventory;
  }

  /**
   * What `measure` reads from the load a scenario asked for (run once per distinct request, scaled
   * to the profile), or why it could not run. The finding carries the offered load, so a verdict
   * judged under a reduced load is never taken for a full-threshold one.
   */
  async underLoad(asked: LoadOffer, fault: string | undefined, measure: (probe: SlaProbe) => Finding): Promise<Finding> {
    const outcome = await this.#load.run(asked, fault);
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

/** The target's capabilities, plus what the config and the run grant: reviews, the admin URL, a load runner. */
function withGrants(environment: StartedEnvironment, config: ConformanceConfig, runsLoad: boolean): CapabilitySource {
  const capabilities = new Set<Capability>(environment.capabilities);
  if (runsLoad && environment.capabilities.has('fspiop-api')) capabilities.add('load');
  if (config.attestations.length > 0) capabilities.add('human-review');
  // The admin API the target has: the one hub.adminUrl names, or the embedded hub's own — never one beside the hub under test.
  if (environment.adminUrl) capabilities.add('admin-api');
  return {
    capabilities,
    whyMissing: (capability) => {
      if (capability === 'human-review') return 'no reviewer attestation in the config (attestations: [{ guarantee, reviewer, date, reference }])';
      if (capability === 'admin-api') return 'hub.adminUrl is not configured';
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
  return { parameters: { runSession: id }, session, close: () => sessions.delete(id) };
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
