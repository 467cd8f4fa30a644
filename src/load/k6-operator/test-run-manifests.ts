/**
 * The objects one k6-operator load makes in the cluster, as plain manifests (no I/O): the bundled
 * script in a ConfigMap, the two values that carry credentials (the hub URL may hold an API key,
 * the channel URL its token) in a Secret, the callback Service (with an EndpointSlice when it
 * routes to an address), and the `TestRun` (k6.io/v1alpha1, grafana/k6-operator's CRD) that
 * runs `parallelism` k6 pods on them. Every object carries the run's labels, so what a killed run
 * left behind is found with one selector.
 */

export const K6_GROUP = 'k6.io';
export const K6_VERSION = 'v1alpha1';
export const TEST_RUNS = 'testruns';

/** Labels on everything a load makes; `kubectl delete … -l app.kubernetes.io/managed-by=mojaloop-conformance` clears a killed run's leftovers. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'mojaloop-conformance' } as const;
export const RUN_LABEL = 'mojaloop-conformance/load';

/** The label selector of everything any load of this tool made. */
export function managedBySelector(): string {
  return Object.entries(MANAGED_BY).map(([key, value]) => `${key}=${value}`).join(',');
}

/** The labels k6-operator puts on the runner pods of a TestRun (pkg/resources/jobs: app=k6, k6_cr=<name>, runner=true). */
export function runnerPodSelector(testRun: string): string {
  return `app=k6,k6_cr=${testRun},runner=true`;
}

/** The stages a TestRun goes through (its CRD's `status.stage` enum), in order; `error` may come at any point. */
export const STAGES = ['initialization', 'initialized', 'created', 'started', 'stopped', 'finished'] as const;
export type Stage = (typeof STAGES)[number] | 'error';

/** Where the per-run Service sends the runner pods' WebSockets: our callback server. */
export type CallbackRoute =
  /** An address of this machine the pods reach: an IPv4 address (EndpointSlice) or a DNS name (ExternalName). */
  | { kind: 'address'; address: string; port: number }
  /** This tool runs as a pod in the cluster: the Service selects it. */
  | { kind: 'selector'; selector: Record<string, string>; port: number };

export interface LoadObjectsInput {
  /** Names every object: `conformance-k6-<id>`. */
  id: string;
  namespace: string;
  /** The bundle's file name in the ConfigMap (`p2p.js`) and its text. */
  scriptFile: string;
  script: string;
  parallelism: number;
  image: string;
  separate: boolean;
  /** The scripts' variables (undefined: the script's default). HUB_URL and CALLBACK_WS_URL go to the Secret. */
  variables: Record<string, string | undefined>;
  route: CallbackRoute;
}

export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  [field: string]: unknown;
}

export interface LoadObjects {
  name: string;
  serviceName: string;
  configMap: KubeManifest;
  secret: KubeManifest;
  service: KubeManifest;
  endpointSlice: KubeManifest | undefined;
  testRun: KubeManifest;
}

/** Variables that may carry credentials: never in the TestRun (anyone who may read it would see them), read from the Secret. */
export const SECRET_VARIABLES = ['HUB_URL', 'CALLBACK_WS_URL'] as const;

/** The port name the Service and its EndpointSlice agree on. */
const PORT_NAME = 'callbacks';

export function loadObjects(input: LoadObjectsInput): LoadObjects {
  const name = `conformance-k6-${input.id}`;
  const serviceName = `${name}-callbacks`;
  const labels = { ...MANAGED_BY, [RUN_LABEL]: input.id };
  const metadata = (objectName: string) => ({ name: objectName, namespace: input.namespace, labels: { ...labels } });

  const secretValues: Record<string, string> = {};
  const env: Array<Record<string, unknown>> = [];
  for (const [variable, value] of Object.entries(input.variables)) {
    if (value === undefined) continue;
    if ((SECRET_VARIABLES as readonly string[]).includes(variable)) {
      secretValues[variable] = value;
      // As `env` with a secretKeyRef, not `envFrom`: k6-operator's initializer passes only `.env` to `k6 archive`.
      env.push({ name: variable, valueFrom: { secretKeyRef: { name, key: variable } } });
    } else {
      env.push({ name: variable, value });
    }
  }

  const { route } = input;
  const port = { name: PORT_NAME, port: route.port, targetPort: route.port, protocol: 'TCP' };
  const isIp = route.kind === 'address' && /^\d{1,3}(\.\d{1,3}){3}$/.test(route.address);
  const service: KubeManifest = {
    apiVersion: 'v1', kind: 'Service', metadata: metadata(serviceName),
    spec: route.kind === 'selector'
      ? { type: 'ClusterIP', selector: route.selector, ports: [port] }
      : isIp
        // No selector: the EndpointSlice below names the address (the Service's ClusterIP forwards to it).
        ? { type: 'ClusterIP', ports: [port] }
        : { type: 'ExternalName', externalName: route.address, ports: [port] },
  };
  const endpointSlice: KubeManifest | undefined = route.kind === 'address' && isIp ? {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { ...metadata(`${serviceName}-1`), labels: { ...labels, 'kubernetes.io/service-name': serviceName, 'endpointslice.kubernetes.io/managed-by': 'mojaloop-conformance' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [route.address], conditions: { ready: true } }],
    ports: [{ name: PORT_NAME, port: route.port, protocol: 'TCP' }],
  } : undefined;

  const runner = {
    image: input.image,
    env,
    metadata: { labels: { ...labels } },
  };
  const testRun: KubeManifest = {
    apiVersion: `${K6_GROUP}/${K6_VERSION}`, kind: 'TestRun', metadata: metadata(name),
    spec: {
      parallelism: input.parallelism,
      ...(input.separate ? { separate: true } : {}),
      script: { configMap: { name, file: input.scriptFile } },
      // Console lines bare in the log (runner-log.ts reads the other formats too).
      arguments: '--log-format=raw',
      runner,
      // No `cleanup: post`: the runner pods' logs must outlive the run until they are read; the runner deletes the TestRun itself.
    },
  };
  return {
    name, serviceName,
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(name), data: { [input.scriptFile]: input.script } },
    secret: { apiVersion: 'v1', kind: 'Secret', metadata: metadata(name), type: 'Opaque', stringData: secretValues },
    service,
    endpointSlice,
    testRun,
  };
}

/**
 * The channel's URL as a runner pod reaches it: the callback server's URL (its path and token
 * kept) with the host replaced by the per-run Service's cluster DNS name and port.
 */
export function inClusterChannelUrl(channelUrl: string, serviceName: string, namespace: string, port: number): string {
  const url = new URL(channelUrl);
  url.hostname = `${serviceName}.${namespace}.svc`;
  url.port = String(port);
  return url.toString();
}
