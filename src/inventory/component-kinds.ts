import type { DeployedComponent, DeploymentInventory } from './deployment-inventory.ts';

/**
 * How each kind of component the seed names is recognised in an inventory: by image, name or
 * Kubernetes resource kind. Sources: the public ml-core-test-harness, mini-loop, mojaloop/helm and
 * iac-modules repositories (see shared/reference/tier-signatures.md).
 */
export const COMPONENT_KINDS = {
  gateway: {
    images: [/istio\/proxyv2/, /kong/, /wso2am/, /envoyproxy\/gateway/, /apisix/],
    names: [/gateway/],
    resourceKinds: ['Gateway'],
  },
  ingress: {
    images: [/ingress-nginx\/controller/, /traefik/, /haproxy-ingress/, /nginx-ingress/],
    names: [/ingress/],
    resourceKinds: ['Ingress', 'IngressClass'],
  },
  egress: {
    images: [/egress/],
    names: [/egress/],
    resourceKinds: ['EgressGateway'],
  },
  IAM: {
    images: [/keycloak/, /oryd\/(kratos|keto|hydra|oathkeeper)/, /wso2is/, /zitadel/],
    names: [/keycloak/, /kratos/, /keto/, /hydra/, /oathkeeper/, /zitadel/],
    resourceKinds: ['Keycloak', 'KeycloakRealmImport', 'AuthzDocument'],
  },
  'control-centre': {
    images: [/argoproj\/argocd/, /gitlab/, /hashicorp\/vault/],
    names: [/argocd/, /gitlab/, /vault/],
    resourceKinds: ['Application'],
  },
  monitoring: {
    images: [/prometheus/, /grafana/, /loki/],
    names: [/prometheus/, /grafana/, /loki/],
    resourceKinds: ['ServiceMonitor', 'PodMonitor', 'GrafanaDashboard'],
  },
  portals: {
    images: [/reporting-hub-bop/, /finance-portal/, /mojaloop\/.*-ui/],
    names: [/bop/, /portal/],
    resourceKinds: [],
  },
  PM4ML: {
    images: [/mojaloop-payment-manager/, /pm4ml/, /mojaloop-connection-manager/],
    names: [/pm4ml/, /payment-manager/],
    resourceKinds: [],
  },
  // The components resilience scenarios kill by name ("one pod of \"centralledger\"", "…of \"mysql\""): the hub's ledger service and its data tier.
  'central-ledger': {
    images: [/(^|\/)mojaloop\/central-ledger(:|@|$)/],
    names: [/central-?ledger/],
    resourceKinds: [],
  },
  /** The ledger database: MySQL (mojaloop/helm's backend chart), Percona XtraDB (iac-modules), MariaDB. */
  mysql: {
    images: [/(^|\/)(mysql|mysql-server|mariadb|percona-xtradb-cluster|percona-server)(:|@|$)/],
    names: [/^(?!.*(^|-)(exporter|operator|backup|haproxy|proxysql)(-|$)).*(mysql|mariadb|pxc)/],
    resourceKinds: [],
  },
  /** The message broker's brokers: Bitnami's chart (mojaloop/helm) and Strimzi (iac-modules). */
  kafka: {
    images: [/(^|\/)(kafka|cp-kafka)(:|@|$)/],
    names: [/^(?!.*(^|-)(exporter|operator|ui|zookeeper|connect)(-|$)).*kafka/],
    resourceKinds: [],
  },
} as const satisfies Record<string, { images: readonly RegExp[]; names: readonly RegExp[]; resourceKinds: readonly string[] }>;

/** The kinds whose loss can lose data: the data tier a data-tier fault kills a node of. */
export const DATA_TIER_KINDS: readonly ComponentKind[] = ['mysql', 'kafka'];

export type ComponentKind = keyof typeof COMPONENT_KINDS;

export interface KindPatterns { images: readonly RegExp[]; names: readonly RegExp[]; resourceKinds: readonly string[] }
export type ComponentKinds = Record<ComponentKind, KindPatterns>;
/** How a config names a kind's patterns: regular expressions as text (`components.<kind>.images` / `.names`). */
export type KindPatternOverrides = Partial<Record<ComponentKind, { images?: readonly string[]; names?: readonly string[] }>>;

/** The defaults with a config's patterns in place of a kind's (a list given replaces that list; the rest stay). */
export function componentKindsWith(overrides: KindPatternOverrides = {}): ComponentKinds {
  const kinds = { ...COMPONENT_KINDS } as ComponentKinds;
  for (const [kind, given] of Object.entries(overrides) as Array<[ComponentKind, { images?: readonly string[]; names?: readonly string[] }]>) {
    if (!given || !isComponentKind(kind)) continue;
    kinds[kind] = {
      images: given.images ? given.images.map((p) => new RegExp(p)) : COMPONENT_KINDS[kind].images,
      names: given.names ? given.names.map((p) => new RegExp(p)) : COMPONENT_KINDS[kind].names,
      resourceKinds: COMPONENT_KINDS[kind].resourceKinds,
    };
  }
  return kinds;
}

export function isComponentKind(value: string): value is ComponentKind {
  return Object.hasOwn(COMPONENT_KINDS, value);
}

export interface KindMatch {
  /** The workload, when the match is one; custom resources alone run nothing. */
  component?: DeployedComponent;
  /** "deployment ns/name (image …)" or "Keycloak ns/name". */
  evidence: string;
}

/** Workloads and resources of one kind, each with the reason it was recognised. */
export function findComponentsOfKind(inventory: DeploymentInventory, kind: ComponentKind, kinds: ComponentKinds = COMPONENT_KINDS): KindMatch[] {
  const { images, names, resourceKinds } = kinds[kind];
  const found: KindMatch[] = [];
  for (const component of inventory.components) {
    const image = component.images.find((i) => images.some((pattern) => pattern.test(i)));
    if (image) found.push({ component, evidence: `${describe(component)} (image ${image})` });
    else if (names.some((pattern) => pattern.test(component.name))) found.push({ component, evidence: `${describe(component)} (name)` });
  }
  for (const resource of inventory.resources) {
    if ((resourceKinds as readonly string[]).includes(resource.kind)) {
      found.push({ evidence: `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}` });
    }
  }
  return found;
}

export function describe(component: DeployedComponent): string {
  return `${component.kind} ${component.namespace ? `${component.namespace}/` : ''}${component.name}${component.definedIn ? ` (${component.definedIn})` : ''}`;
}
