import { CAPABILITIES, type Capability, type CapabilitySource } from '../catalogue/capabilities.ts';
import type { ControlledParty, ControlledPayeeRole } from '../config/schema.ts';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import type { HubChangeRecorder } from '../fspiop/hub-change.ts';
import type { DeploymentInventory } from '../inventory/deployment-inventory.ts';
import type { FaultInjector } from '../load/load-runner.ts';

export interface PayeeObservation {
  /** The error codes the hub sent the payee DFSP about this transfer, and where that was read. */
  transferErrors(transferId: string): Promise<{ errorCodes: string[]; source: string }>;
}

/** Reads what is deployed; the run reads it once and shares it between scenarios. */
export interface InventoryReader {
  inventory(): Promise<DeploymentInventory>;
}

/**
 * What the run's admin client presents to an admin API that demands it (the secured embedded hub
 * issues an operator's client): the CA its certificate chains to and a token client with scope
 * `admin`. A secret: never described or reported.
 */
export interface AdminApiCredentials {
  caPem: string;
  oauth2: NonNullable<DfspCredentials['oauth2']>;
}

/**
 * What serves each capability: the one thing a probe needs of the target for it. A capability
 * that needs nothing beyond the hub's FSPIOP API (or is granted by the run) maps to `true`.
 */
export interface CapabilityProviders {
  'fspiop-api': true;
  /** Parties of a payee DFSP that misbehaves on purpose, by role (those the target has). */
  'controlled-payee': Partial<Record<ControlledPayeeRole, ControlledParty>>;
  'compose-inventory': InventoryReader;
  'kubernetes-inventory': InventoryReader;
  'resource-metrics': true;
  /** Granted by the run when it has a load runner and the target an FSPIOP API. */
  load: true;
  'fault-injection': FaultInjector;
  /** The component of the data tier the `fault-injection` provider kills (e.g. the compose service of the ledger database). */
  'data-tier-fault-injection': { component: string };
  /** The hub's admin API, probed for unauthenticated access. */
  'admin-api': { adminUrl: string; credentials?: AdminApiCredentials };
  /** What the controlled payee DFSP was told about a transfer. */
  'payee-observation': PayeeObservation;
  /** The hub's admin API (central-ledger's shape), and where a change made on the hub for a while is written down before it is made. */
  'hub-ledger': { adminUrl: string; hubChanges: HubChangeRecorder; credentials?: AdminApiCredentials };
  'bystander-dfsp': true;
  /** Granted by the run when the config carries reviewer attestations. */
  'human-review': true;
}

/** Every capability has a provider type, and nothing else does (a compile error names the one out of step with CAPABILITIES). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const providersCoverCapabilities: Same<keyof CapabilityProviders, Capability> = true;
void providersCoverCapabilities;

/** What a target serves, capability by capability: advertising a capability is handing over its provider. */
export type Providers = { readonly [C in Capability]?: CapabilityProviders[C] };

/** A source of capabilities that also serves them: a started environment, or a run's session. */
export interface ProvidingSource {
  readonly provides: Providers;
  /** Why this source lacks a capability, in words a user can act on. */
  whyMissing(capability: Capability): string;
}

/** The capabilities a provider map serves, for the `@needs:` gate. */
export function capabilitySource(source: ProvidingSource): CapabilitySource {
  const capabilities = new Set((Object.keys(source.provides) as Capability[]).filter((name) => source.provides[name] !== undefined));
  return { capabilities, whyMissing: (capability) => source.whyMissing(capability) };
}

/** Whether the source serves a capability. */
export function serves(source: ProvidingSource, capability: Capability): boolean {
  return source.provides[capability] !== undefined;
}

/**
 * The provider of a capability. Asking for one the source does not serve is a defect of the caller
 * (a step without its `@needs:` tag, a run reading what it did not check), never a user's mistake.
 */
export function providerOf<C extends Capability>(source: ProvidingSource, capability: C): CapabilityProviders[C] {
  const provider = source.provides[capability];
  if (provider === undefined) {
    throw new Error(`programming error: ${capability} (${CAPABILITIES[capability]}) was read from a source that does not serve it; `
      + `gate the scenario with @needs:${capability} or check serves() first (${source.whyMissing(capability)})`);
  }
  return provider as CapabilityProviders[C];
}
