import type { ConformanceConfig } from '../config/schema.ts';
import type { Capability, StartedEnvironment } from '../environment/environment.ts';
import type { PayerDfsp } from '../fspiop/payer-dfsp.ts';

/** What step definitions may use: the validated config, the started environment and our payer DFSP. */
export interface RunSession {
  config: ConformanceConfig;
  environment: StartedEnvironment;
  payer: PayerDfsp;
  /** The environment's capabilities plus those the config grants (reviewer attestations). */
  capabilities: CapabilitySource;
  /** Shared across scenarios: an inventory is read once, a load is run once per offer. */
  cache: Map<string, Promise<unknown>>;
}

export type CapabilitySource = Pick<StartedEnvironment, 'capabilities' | 'whyMissing'>;

/** Config-granted capabilities on top of the target's own. */
export function sessionCapabilities(environment: StartedEnvironment, config: ConformanceConfig): CapabilitySource {
  const capabilities = new Set<Capability>(environment.capabilities);
  if (config.attestations.length > 0) capabilities.add('human-review');
  if (config.hub.adminUrl) capabilities.add('admin-api');
  return {
    capabilities,
    whyMissing: (capability) => {
      if (capability === 'human-review') return 'no reviewer attestation in the config (attestations: [{ guarantee, reviewer, date, reference }])';
      if (capability === 'admin-api') return 'hub.adminUrl is not configured';
      return environment.whyMissing(capability);
    },
  };
}

let active: RunSession | undefined;

/**
 * The run owns every resource (so it can tear them down on Ctrl-C); Cucumber runs in-process and
 * its step definitions reach those resources here. Cucumber imports the steps by file URL, the run
 * imports this module by the same URL, so both see one instance.
 */
export function activateSession(session: RunSession): void {
  active = session;
}

export function deactivateSession(): void {
  active = undefined;
}

export function currentSession(): RunSession {
  if (!active) {
    throw new Error('no conformance session is active: run the features through `npm run conformance`, not a bare cucumber-js');
  }
  return active;
}
