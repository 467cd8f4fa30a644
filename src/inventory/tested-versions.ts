import type { DeploymentInventory } from './deployment-inventory.ts';

/** Entries a fingerprint keeps at most: a cluster's every workload would bury what identifies the deployment. */
const MAX_ENTRIES = 300;

/**
 * What an inventory says was tested, by name, for the result's fingerprint: each Helm release's
 * chart (with its version) and status, each component's images, each node's orchestrator version.
 */
export function testedVersions(inventory: DeploymentInventory): Record<string, string> {
  const entries: Array<[string, string]> = [
    ...inventory.helmReleases.map((release): [string, string] => [`helm release ${release.namespace}/${release.name}`, `${release.chart} (${release.status})`]),
    ...inventory.components.filter((component) => component.images.length > 0)
      .map((component): [string, string] => [`image ${component.namespace ? `${component.namespace}/` : ''}${component.name}`, [...new Set(component.images)].join(', ')]),
  ];
  const kept = Object.fromEntries(entries.slice(0, MAX_ENTRIES));
  return entries.length > MAX_ENTRIES ? { ...kept, 'not listed': `${entries.length - MAX_ENTRIES} more components (see the inventory)` } : kept;
}
