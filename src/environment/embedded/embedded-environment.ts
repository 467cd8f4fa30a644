import type { ConformanceConfig, ControlledParty, ControlledPayeeRole } from '../../config/schema.ts';
import type { Capability } from '../../catalogue/capabilities.ts';
import type { ConformanceEnvironment, EnvironmentDescription, StartedEnvironment } from '../environment.ts';
import { DeploymentThread } from './deployment-thread.ts';
import { readOnboarding } from './onboarding.ts';
import type { DeploymentUrls } from './reference-deployment.ts';

const MISSING: Partial<Record<Capability, string>> = {
  'compose-inventory': 'the embedded target runs in-process and has no containers; a compose target (Core Test Harness via testcontainers) is not in this version yet',
  'kubernetes-inventory': 'the embedded target has no Kubernetes cluster; a kubernetes target (inventory through the Kubernetes API) is not in this version yet',
  'resource-metrics': 'the embedded target shares this process; its CPU and memory say nothing about a deployment',
  'fault-injection': 'the embedded hub injects faults chosen before the run (embedded.faults, --fault), but cannot yet kill or slow a component during a load',
};

/** The built-in reference hub and simulated DFSPs on loopback: runs anywhere, needs nothing installed. */
export class EmbeddedEnvironment implements ConformanceEnvironment {
  readonly kind = 'embedded' as const;
  readonly #config: ConformanceConfig;

  constructor(config: ConformanceConfig) {
    this.#config = config;
  }

  async start(): Promise<StartedEnvironment> {
    // Read here first: a broken fixture is the user's to fix (exit 2), not an unavailable target.
    const { controlledPayee } = readOnboarding(this.#config);
    // On its own thread: under load the hub and our payer each get a core.
    const { thread, urls } = await DeploymentThread.start(this.#config);
    return new StartedEmbeddedEnvironment(thread, controlledPayee, urls);
  }
}

class StartedEmbeddedEnvironment implements StartedEnvironment {
  readonly kind = 'embedded' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['fspiop-api', 'controlled-payee', 'hub-ledger']);
  readonly hubUrl: string;
  readonly adminUrl: string;
  readonly controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>>;
  readonly #deployment: DeploymentThread;
  readonly #payeeUrl: string;

  constructor(deployment: DeploymentThread, controlledPayee: Partial<Record<ControlledPayeeRole, ControlledParty>>, urls: DeploymentUrls) {
    this.#deployment = deployment;
    this.hubUrl = urls.hubUrl;
    this.adminUrl = urls.adminUrl;
    this.#payeeUrl = urls.payeeUrl;
    this.controlledPayee = controlledPayee;
  }

  describe(): EnvironmentDescription {
    return {
      kind: this.kind,
      summary: 'embedded reference hub (FSPIOP v1.1) with a simulated payee DFSP, on loopback',
      endpoints: { hub: this.hubUrl, hubAdmin: this.adminUrl, payeeDfsp: this.#payeeUrl },
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
