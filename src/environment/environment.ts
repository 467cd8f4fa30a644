import type { PartyRef, TargetKind } from '../config/schema.ts';
import type { DeploymentInventory } from '../inventory/deployment-inventory.ts';
import type { LoadSummary } from '../probes/sla-probe.ts';

/**
 * What a target can offer to the probes. A scenario declares what it needs with `@needs:<capability>`;
 * on a target without it the guarantee is NOT EVALUATED, with the target's reason.
 */
export const CAPABILITIES = {
  'fspiop-api': 'an FSPIOP v1.1 API to send lookups, quotes and transfers to',
  'controlled-payee': 'a payee DFSP the framework controls (to make it misbehave, e.g. send a wrong fulfilment)',
  'compose-inventory': 'the list of containers, images and health states of a docker compose deployment',
  'kubernetes-inventory': 'the workloads, services, ingresses and Helm releases of a Kubernetes cluster',
  'resource-metrics': 'CPU and memory used by the deployment',
  load: 'a load runner able to drive the hub at the tier\'s throughput',
  'fault-injection': 'a way to kill or slow components of the deployment during a run',
  'admin-api': 'the hub\'s administration API (central-ledger admin) to probe for unauthenticated access',
  'human-review': 'a person\'s judgement: documentation quality cannot be measured from a running deployment',
} as const;

export type Capability = keyof typeof CAPABILITIES;

export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITIES, name);
}

export interface EnvironmentDescription {
  kind: TargetKind;
  /** One line a person reads, e.g. "embedded reference hub (FSPIOP v1.1) with simulated payee DFSP". */
  summary: string;
  /** Named endpoints, shown in the terminal and stored in the result file. No credentials. */
  endpoints: Record<string, string>;
}

/** A configured environment: nothing runs yet. `start()` brings it up (or attaches to it). */
export interface ConformanceEnvironment {
  readonly kind: TargetKind;
  start(): Promise<StartedEnvironment>;
}

/** A running environment. Only this state can be stopped — the type carries the lifecycle. */
export interface StartedEnvironment {
  readonly kind: TargetKind;
  /** FSPIOP endpoint of the hub under test. */
  readonly hubUrl: string;
  readonly capabilities: ReadonlySet<Capability>;
  describe(): EnvironmentDescription;
  /** Why this target lacks a capability, in words a user can act on. */
  whyMissing(capability: Capability): string;
  /** Tells the hub where the framework's payer DFSP receives its callbacks, where the target allows it. */
  connectPayer(fspId: string, callbackUrl: string): Promise<void>;
  /** Tears down what `start()` brought up. Safe to call twice. */
  stop(): Promise<void>;
  /** Present with the `compose-inventory` or `kubernetes-inventory` capability. */
  inventory?(): Promise<DeploymentInventory>;
  /** Present with the `load` capability. */
  loadRunner?: LoadRunner;
  /** Present with the `fault-injection` capability. */
  faults?: FaultInjector;
  /** Present with the `controlled-payee` capability: parties whose DFSP misbehaves on purpose. */
  controlledPayee?: { invalidFulfilment: PartyRef };
}

/** The offered load of an SLA scenario, already scaled to the run's profile. */
export interface LoadOffer {
  ratePerSecond: number;
  durationMs: number;
}

export interface LoadRunner {
  /** Drives P2P transfers open-model at the offered rate; `fault` runs once, mid-run. */
  run(offer: LoadOffer, options?: { fault?: () => Promise<void> }): Promise<LoadSummary>;
}

export interface FaultInjector {
  /** Kills one pod/container of a component and says which. */
  killOne(component: string): Promise<string>;
}
