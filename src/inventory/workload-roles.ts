import { COMPONENT_KINDS, findComponentsOfKind, type ComponentKinds } from './component-kinds.ts';
import type { DeployedComponent, DeploymentInventory } from './deployment-inventory.ts';

/**
 * What a workload is to a Mojaloop deployment, for the hardening checks: the Mojaloop services
 * the charts deploy are held to Mojaloop's rules; the operators, databases and brokers they run
 * on get checks of their own (they are often third-party images that need to write or run as a
 * given user); the rest of the cluster (CoreDNS, an ingress controller) is not the tier's to harden.
 */
export type WorkloadRole = 'mojaloop' | 'operator' | 'database' | 'broker' | 'other';

/** Mojaloop's own images (`mojaloop/…`), as its charts and iac-modules deploy them. */
const MOJALOOP_IMAGE = /(^|\/)mojaloop\//;
/** Operators of the data tier and the platform: Strimzi, Percona, MongoDB, … (an image or a name saying so). */
const OPERATOR = /operator/;
/** Stores besides the ledger's MySQL (the `mysql` component kind): the ALS/oracle's MongoDB, Redis caches, … */
const OTHER_DATABASE = /(^|\/|-)(mongo|mongodb|percona-server-mongodb|redis|postgres|postgresql|cassandra)(:|@|$|-)/;
/** Brokers besides Kafka's (the `kafka` component kind): its ZooKeeper, … */
const OTHER_BROKER = /(^|\/|-)(zookeeper|rabbitmq|nats)(:|@|$|-)/;

export function isMojaloopImage(image: string): boolean {
  return MOJALOOP_IMAGE.test(image);
}

/** Classifies every workload of `inventory`, by the component kinds (`kinds`: the config's patterns) and the patterns above. */
export function workloadRoles(inventory: DeploymentInventory, kinds: ComponentKinds = COMPONENT_KINDS): Map<DeployedComponent, WorkloadRole> {
  const of = (kind: 'mysql' | 'kafka' | 'central-ledger' | 'portals' | 'PM4ML') =>
    new Set(findComponentsOfKind(inventory, kind, kinds).flatMap((match) => (match.component ? [match.component] : [])));
  const [databases, brokers] = [of('mysql'), of('kafka')];
  const mojaloop = new Set([...of('central-ledger'), ...of('portals'), ...of('PM4ML')]);
  const roles = new Map<DeployedComponent, WorkloadRole>();
  for (const component of inventory.components) {
    const texts = [component.name, ...component.images];
    const role: WorkloadRole = texts.some((text) => OPERATOR.test(text)) ? 'operator'
      : databases.has(component) || component.images.some((image) => OTHER_DATABASE.test(image)) ? 'database'
        : brokers.has(component) || component.images.some((image) => OTHER_BROKER.test(image)) ? 'broker'
          : mojaloop.has(component) || component.images.some(isMojaloopImage) ? 'mojaloop'
            : 'other';
    roles.set(component, role);
  }
  return roles;
}
