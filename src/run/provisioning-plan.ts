import { UserError } from '../config/errors.ts';
import type { PayerConnection, StartedEnvironment } from '../environment/environment.ts';
import type { PlannedCall } from '../provisioning/hub-provisioner.ts';
import { planLines } from '../provisioning/provisioning-text.ts';

/** A dry run ends here: what provisioning would do, nothing done, nothing evaluated. */
export class ProvisioningPlanned extends Error {
  override readonly name = 'ProvisioningPlanned';
  readonly calls: readonly PlannedCall[];

  constructor(calls: readonly PlannedCall[]) {
    super('dry run: provisioning was only planned (provision.dryRun), nothing was evaluated');
    this.calls = calls;
  }

  /** The calls, one line each, as a person reviews them before letting a run change a hub. */
  describe(): string {
    return [`  provisioning plan: ${this.calls.length} call${this.calls.length === 1 ? '' : 's'} (none made):`, ...planLines(this.calls).map((line) => `    ${line}`)].join('\n');
  }
}

/** The calls the environment's provisioning would make; a target that provisions nothing cannot be dry-run. */
export async function planProvisioning(environment: StartedEnvironment, payer: PayerConnection): Promise<PlannedCall[]> {
  if (!environment.provisioningPlan) {
    throw new UserError(`provision.dryRun: the ${environment.kind} target provisions no test DFSPs (provisioning needs --target url with hub.adminUrl)`);
  }
  return environment.provisioningPlan(payer);
}
