import type { CapabilitySource } from '../catalogue/capabilities.ts';
import type { ControlledParty, ControlledPayeeRole, TargetKind } from '../config/schema.ts';
import type { CallbackCorrelator } from '../fspiop/callback-correlator.ts';
import type { HubChangeRecorder } from '../fspiop/hub-change.ts';
import type { DeploymentInventory } from '../inventory/deployment-inventory.ts';
import type { PlannedCall } from '../provisioning/hub-provisioner.ts';
import type { FaultInjector } from '../load/load-runner.ts';

export interface PayeeObservation {
  /** The error codes the hub sent the payee DFSP about this transfer, and where that was read. */
  transferErrors(transferId: string): Promise<{ errorCodes: string[]; source: string }>;
}

/** Our payer DFSP as the run started it: who it is, where its callbacks arrive, and what matches them to requests. */
export interface PayerConnection {
  fspId: string;
  callbackUrl: string;
  correlator: Pick<CallbackCorrelator, 'expect'>;
}

export interface EnvironmentDescription {
  kind: TargetKind;
  /** One line a person reads, e.g. "embedded reference hub (FSPIOP v1.1) with simulated payee DFSP". */
  summary: string;
  /** Named endpoints, shown in the terminal and stored in the result file. No credentials. */
  endpoints: Record<string, string>;
  /** What the environment did to the target and what a person should know of it (what was provisioned, what was put back). */
  notes?: string[];
}

/** A configured environment: nothing runs yet. `start()` brings it up (or attaches to it). */
export interface ConformanceEnvironment {
  readonly kind: TargetKind;
  start(): Promise<StartedEnvironment>;
}

/** A running environment. Only this state can be stopped — the type carries the lifecycle. */
export interface StartedEnvironment extends CapabilitySource {
  readonly kind: TargetKind;
  /** FSPIOP endpoint of the hub under test. */
  readonly hubUrl: string;
  /**
   * Whether the way from the hub to our callback server is the user's to set up (a hub elsewhere:
   * ports, firewalls, endpoints): the run then proves it with one round trip before any scenario.
   */
  readonly callbackRouteUnproven: boolean;
  /**
   * Where the run's callback server must listen, and the URL the hub must call, when the target
   * decides it (a hub in containers reaches the host through its network's gateway).
   */
  readonly callbackListen?: { host: string; port: number; publicUrl: string };
  describe(): EnvironmentDescription;
  /** Tells the hub where the framework's payer DFSP receives its callbacks (provisioning it, where the target allows it). */
  connectPayer(payer: PayerConnection): Promise<void>;
  /** Present where the target provisions our test DFSPs: the calls `connectPayer` would make, none made (a dry run). */
  provisioningPlan?(payer: PayerConnection): Promise<PlannedCall[]>;
  /** Tears down what `start()` brought up. Safe to call twice. */
  stop(): Promise<void>;
  /** Present with the `compose-inventory` or `kubernetes-inventory` capability. */
  inventory?(): Promise<DeploymentInventory>;
  /** Present with the `fault-injection` capability. */
  faults?: FaultInjector;
  /** Present with the `controlled-payee` capability: parties of a payee DFSP that misbehaves on purpose, by role (those the target has). */
  controlledPayee?: Partial<Record<ControlledPayeeRole, ControlledParty>>;
  /** Present with the `hub-ledger` capability: the hub's admin API (central-ledger's shape). */
  adminUrl?: string;
  /** Present with the `hub-ledger` capability: where a change made on the hub for a while is written down before it is made. */
  hubChanges?: HubChangeRecorder;
  /** Present with the `payee-observation` capability: what the controlled payee DFSP was told about a transfer. */
  observePayee?: PayeeObservation;
}
