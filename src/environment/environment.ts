import type { TargetKind } from '../config/schema.ts';
import type { CallbackCorrelator } from '../fspiop/callback-correlator.ts';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import type { PlannedCall } from '../provisioning/hub-provisioner.ts';
import type { ProvidingSource } from './capability-providers.ts';

export type { CapabilityProviders, InventoryReader, PayeeObservation, Providers } from './capability-providers.ts';

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
  /**
   * What was tested, as far as the target knows it — the hub's build, images by service, Helm
   * chart versions, the Kubernetes server version — by name: `{ "image central-ledger":
   * "mojaloop/central-ledger:v19.5.5" }`. Stored in the result's fingerprint.
   */
  tested?: Record<string, string>;
}

/** Where the run's callback server listens and the URL the hub must call, as the target decides it. */
export interface CallbackExposure {
  host: string;
  /** 0: any free port (a target that registers it with its hub itself). */
  port: number;
  /** The URL the hub calls when it cannot reach host:port directly (NAT, ingress, container network). */
  publicUrl?: string | undefined;
}

/** A configured environment: nothing runs yet. `start()` brings it up (or attaches to it). */
export interface ConformanceEnvironment {
  readonly kind: TargetKind;
  /** What is tested, in a few words, before anything starts (the run's first line), e.g. "url http://hub.example:4000". */
  describeTarget(): string;
  start(): Promise<StartedEnvironment>;
}

/**
 * A running environment. Only this state can be stopped — the type carries the lifecycle. What it
 * can do for the probes is its `provides` map (capability → provider): a capability it advertises
 * is one it serves.
 */
export interface StartedEnvironment extends ProvidingSource {
  readonly kind: TargetKind;
  /** FSPIOP endpoint of the hub under test. */
  readonly hubUrl: string;
  /**
   * Whether the way from the hub to our callback server is the user's to set up (a hub elsewhere:
   * ports, firewalls, endpoints): the run then proves it with one round trip before any scenario.
   */
  readonly callbackRouteUnproven: boolean;
  /** Where the run's callback server must listen and be called (a hub in containers reaches the host through its network's gateway). */
  readonly callbackExposure: CallbackExposure;
  /**
   * Credentials the target issued to our DFSPs, where it secures a hub of its own (the embedded hub
   * with `hub.security: full`); absent, the run uses the config's. Never described or reported.
   */
  readonly issuedCredentials?: DfspCredentials;
  describe(): EnvironmentDescription;
  /** Tells the hub where the framework's payer DFSP receives its callbacks (provisioning it, where the target allows it). */
  connectPayer(payer: PayerConnection): Promise<void>;
  /** Present where the target provisions our test DFSPs: the calls `connectPayer` would make, none made (a dry run). */
  provisioningPlan?(payer: PayerConnection): Promise<PlannedCall[]>;
  /** Tears down what `start()` brought up. Safe to call twice. */
  stop(): Promise<void>;
}
