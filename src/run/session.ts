import type { ConformanceConfig } from '../config/schema.ts';
import type { StartedEnvironment } from '../environment/environment.ts';
import type { PayerDfsp } from '../fspiop/payer-dfsp.ts';

/** What step definitions may use: the validated config, the started environment and our payer DFSP. */
export interface RunSession {
  config: ConformanceConfig;
  environment: StartedEnvironment;
  payer: PayerDfsp;
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
