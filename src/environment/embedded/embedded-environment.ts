import type { ConformanceConfig, PartyRef } from '../../config/schema.ts';
import type { Capability } from '../../catalogue/capabilities.ts';
import type { ConformanceEnvironment, EnvironmentDescription, StartedEnvironment } from '../environment.ts';
import { DeploymentThread } from './deployment-thread.ts';
import { invalidFulfilmentParty } from './reference-deployment.ts';

const MISSING: Partial<Record<Capability, string>> = {
  'compose-inventory': 'the embedded target runs in-process and has no containers; a compose target (Core Test Harness via testcontainers) is not in this version yet',
  'kubernetes-inventory': 'the embedded target has no Kubernetes cluster; a kubernetes target (inventory through the Kubernetes API) is not in this version yet',
  'resource-metrics': 'the embedded target shares this process; its CPU and memory say nothing about a deployment',
  'fault-injection': 'the embedded hub has no fault injection yet',
};

/** The built-in reference hub and simulated DFSPs on loopback: runs anywhere, needs nothing installed. */
export class EmbeddedEnvironment implements ConformanceEnvironment {
  readonly kind = 'embedded' as const;
  readonly #config: ConformanceConfig;

  constructor(config: ConformanceConfig) {
    this.#config = config;
  }

  async start(): Promise<StartedEnvironment> {
    // On its own thread: under load the hub and our payer each get a core.
    const { thread, hubUrl, payeeUrl } = await DeploymentThread.start(this.#config);
    return new StartedEmbeddedEnvironment(thread, invalidFulfilmentParty(this.#config), hubUrl, payeeUrl);
  }
}

class StartedEmbeddedEnvironment implements StartedEnvironment {
  readonly kind = 'embedded' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['fspiop-api', 'controlled-payee']);
  readonly hubUrl: string;
  readonly controlledPayee: { invalidFulfilment: PartyRef };
  readonly #deployment: DeploymentThread;
  readonly #payeeUrl: string;

  constructor(deployment: DeploymentThread, invalidFulfilment: PartyRef, hubUrl: string, payeeUrl: string) {
    this.#deployment = deployment;
    this.hubUrl = hubUrl;
    this.controlledPayee = { invalidFulfilment };
    this.#payeeUrl = payeeUrl;
  }

  describe(): EnvironmentDescription {
    return {
      kind: this.kind,
      summary: 'embedded reference hub (FSPIOP v1.1) with a simulated payee DFSP, on loopback',
      endpoints: { hub: this.hubUrl, payeeDfsp: this.#payeeUrl },
    };
  }

  whyMissing(capability: Capability): string {
    return MISSING[capability] ?? `the embedded target does not provide ${capability}`;
  }

  connectPayer(fspId: string, callbackUrl: string): Promise<void> {
    return this.#deployment.connectPayer(fspId, callbackUrl);
  }

  stop(): Promise<void> {
    return this.#deployment.stop();
  }
}
