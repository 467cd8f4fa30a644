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
  'data-tier-fault-injection': 'a way to kill a node of the deployment\'s data tier (its database or message broker) during a run',
  'admin-api': 'the hub\'s administration API (central-ledger admin) to probe for unauthenticated access',
  'payee-observation': 'what the controlled payee DFSP was told by the hub (the embedded simulator reports it)',
  'hub-ledger': 'the hub\'s administration API (central-ledger\'s shape) to read participant positions and set a net debit cap',
  'bystander-dfsp': 'a third DFSP of ours on the hub, party to none of our transfers (participants.bystander), whose callbacks reach our callback server',
  'human-review': 'a person\'s judgement: documentation quality cannot be measured from a running deployment',
} as const;

export type Capability = keyof typeof CAPABILITIES;

export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITIES, name);
}

/** Who grants capabilities: a started environment, or a run that adds what its config grants. */
export interface CapabilitySource {
  readonly capabilities: ReadonlySet<Capability>;
  /** Why this source lacks a capability, in words a user can act on. */
  whyMissing(capability: Capability): string;
}

/** The first capability a scenario needs (`@needs:<capability>` tags) that the source lacks, as the reason it is not evaluated. */
export function missingCapability(tags: readonly string[], source: CapabilitySource): { notEvaluated: string; capability: Capability } | undefined {
  for (const tag of tags) {
    if (!tag.startsWith('@needs:')) continue;
    const name = tag.slice('@needs:'.length);
    if (!isCapability(name)) {
      throw new Error(`feature tag ${tag} names no capability; known: ${Object.keys(CAPABILITIES).join(', ')}`);
    }
    if (!source.capabilities.has(name)) {
      return { capability: name, notEvaluated: `needs ${CAPABILITIES[name]}; ${source.whyMissing(name)}` };
    }
  }
  return undefined;
}

export function neededCapabilities(tags: readonly string[]): Capability[] {
  return tags.filter((tag) => tag.startsWith('@needs:')).map((tag) => tag.slice('@needs:'.length)).filter(isCapability);
}
