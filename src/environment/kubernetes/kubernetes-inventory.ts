import {
  ApiextensionsV1Api, AppsV1Api, AutoscalingV2Api, BatchV1Api, CoreV1Api, CustomObjectsApi, NetworkingV1Api, PolicyV1Api, VersionApi,
  type ConfigurationOptions, type KubeConfig, type V1Container, type V1ObjectMeta, type V1PodSecurityContext, type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { requestOptions } from './request-options.ts';
import type { DeployedComponent, DeploymentInventory, Health, InventoryResource } from '../../inventory/deployment-inventory.ts';
import { kubernetesFailure, type ClusterIdentity } from './kubernetes-errors.ts';
import type { WorkloadState } from './workload-readiness.ts';

/**
 * Custom resources that mark a stack (GitOps, IAM, data tier, backups, gateways, monitoring), by
 * API group and kind. Only these are listed: a cluster's other custom resources say nothing a
 * guarantee asks, and listing every CRD's objects costs one request each.
 */
export const STACK_MARKERS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: 'argoproj.io', kind: 'Application' },
  { group: 'k8s.keycloak.org', kind: 'Keycloak' },
  { group: 'k8s.keycloak.org', kind: 'KeycloakRealmImport' },
  { group: 'mojaloop.io', kind: 'AuthzDocument' },
  { group: 'kafka.strimzi.io', kind: 'Kafka' },
  { group: 'pxc.percona.com', kind: 'PerconaXtraDBCluster' },
  { group: 'pxc.percona.com', kind: 'PerconaXtraDBClusterBackup' },
  { group: 'psmdb.percona.com', kind: 'PerconaServerMongoDB' },
  { group: 'psmdb.percona.com', kind: 'PerconaServerMongoDBBackup' },
  { group: 'velero.io', kind: 'Schedule' },
  { group: 'velero.io', kind: 'BackupStorageLocation' },
  { group: 'networking.istio.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
  { group: 'grafana.integreatly.org', kind: 'GrafanaDashboard' },
];

export interface KubernetesInventoryOptions {
  /** Read only these namespaces (cluster-scoped objects — nodes, ingress classes, CRDs — are read all the same). */
  namespaces?: readonly string[];
  /** Objects per LIST request; the rest follows through `continue`. */
  pageSize?: number;
  /** Budget of each request: a server that accepts and never answers fails the read, it never hangs it. */
  requestTimeoutMs: number;
  cluster: ClusterIdentity;
}

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}

type Listed = Awaited<ReturnType<KubernetesInventory['listEverything']>>;

/**
 * Reads a cluster through its API into a `DeploymentInventory`: nodes, workloads with images,
 * health, replicas, security contexts, volumes and published ports, services, the resources that
 * mark stacks, Helm releases from their release Secrets' labels (metadata only: the encoded release
 * holds the chart values, passwords included, and is never requested), and settings from known
 * config objects. Read-only: only get and list.
 */
export class KubernetesInventory {
  readonly #kc: KubeConfig;
  readonly #options: KubernetesInventoryOptions;

  constructor(kc: KubeConfig, options: KubernetesInventoryOptions) {
    this.#kc = kc;
    this.#options = options;
  }

  /** The API server's version: the cheapest request that proves the server is there. */
  async serverVersion(): Promise<string> {
    const info = await this.#call('the server version', () => this.#kc.makeApiClient(VersionApi).getCode({}, this.#callOptions()));
    return info.gitVersion;
  }

  async read(): Promise<DeploymentInventory> {
    const listed = await this.listEverything();
    return toInventory(listed, this.#options, new Date());
  }

  /** The Deployments and StatefulSets with their wanted and available replicas: all the readiness wait reads, again and again. */
  async workloadStates(): Promise<WorkloadState[]> {
    const apps = this.#kc.makeApiClient(AppsV1Api);
    const o = () => this.#callOptions();
    const [deployments, statefulSets] = await Promise.all([
      this.#namespaced('deployments', (namespace, _continue, limit) => (namespace ? apps.listNamespacedDeployment({ namespace, _continue, limit }, o()) : apps.listDeploymentForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('statefulsets', (namespace, _continue, limit) => (namespace ? apps.listNamespacedStatefulSet({ namespace, _continue, limit }, o()) : apps.listStatefulSetForAllNamespaces({ _continue, limit }, o()))),
    ]);
    const state = (kind: WorkloadState['kind'], w: typeof deployments[number] | typeof statefulSets[number]): WorkloadState => ({
      kind, namespace: w.metadata?.namespace, name: w.metadata?.name ?? '',
      images: (w.spec?.template.spec?.containers ?? []).flatMap((c) => (c.image ? [c.image] : [])),
      desired: w.spec?.replicas ?? 1,
      available: w.status?.availableReplicas ?? 0,
    });
    return [...deployments.map((d) => state('Deployment', d)), ...statefulSets.map((s) => state('StatefulSet', s))];
  }

  /** Every LIST the inventory needs. Workload reads must succeed; what a narrower role may not read is noted, not fatal. */
  async listEverything() {
    const core = this.#kc.makeApiClient(CoreV1Api);
    const apps = this.#kc.makeApiClient(AppsV1Api);
    const batch = this.#kc.makeApiClient(BatchV1Api);
    const networking = this.#kc.makeApiClient(NetworkingV1Api);
    const policy = this.#kc.makeApiClient(PolicyV1Api);
    const autoscaling = this.#kc.makeApiClient(AutoscalingV2Api);
    const extensions = this.#kc.makeApiClient(ApiextensionsV1Api);
    const unreadable: Record<string, string> = {};
    const o = () => this.#callOptions();
    const [deployments, statefulSets, daemonSets, jobs, cronJobs, pods, services, claims] = await Promise.all([
      this.#namespaced('deployments', (namespace, _continue, limit) => (namespace ? apps.listNamespacedDeployment({ namespace, _continue, limit }, o()) : apps.listDeploymentForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('statefulsets', (namespace, _continue, limit) => (namespace ? apps.listNamespacedStatefulSet({ namespace, _continue, limit }, o()) : apps.listStatefulSetForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('daemonsets', (namespace, _continue, limit) => (namespace ? apps.listNamespacedDaemonSet({ namespace, _continue, limit }, o()) : apps.listDaemonSetForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('jobs', (namespace, _continue, limit) => (namespace ? batch.listNamespacedJob({ namespace, _continue, limit }, o()) : batch.listJobForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('cronjobs', (namespace, _continue, limit) => (namespace ? batch.listNamespacedCronJob({ namespace, _continue, limit }, o()) : batch.listCronJobForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('pods', (namespace, _continue, limit) => (namespace ? core.listNamespacedPod({ namespace, _continue, limit }, o()) : core.listPodForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('services', (namespace, _continue, limit) => (namespace ? core.listNamespacedService({ namespace, _continue, limit }, o()) : core.listServiceForAllNamespaces({ _continue, limit }, o()))),
      this.#namespaced('persistentvolumeclaims', (namespace, _continue, limit) => (namespace ? core.listNamespacedPersistentVolumeClaim({ namespace, _continue, limit }, o()) : core.listPersistentVolumeClaimForAllNamespaces({ _continue, limit }, o()))),
    ]);
    const optional = async <T>(what: string, read: () => Promise<T[]>): Promise<T[]> => {
      try {
        return await read();
      } catch (error) {
        const failure = kubernetesFailure(error, this.#options.cluster, what);
        // Only a refusal is a narrower role; an outage mid-read is an outage.
        if (failure.kind !== 'forbidden') throw failure;
        unreadable[what] = failure.reason;
        return [];
      }
    };
    const [nodes, ingresses, ingressClasses, networkPolicies, disruptionBudgets, autoscalers, configMaps, releaseSecrets, definitions] = await Promise.all([
      optional('nodes', () => this.#all('nodes', (_continue, limit) => core.listNode({ _continue, limit }, o()))),
      optional('ingresses', () => this.#namespaced('ingresses', (namespace, _continue, limit) => (namespace ? networking.listNamespacedIngress({ namespace, _continue, limit }, o()) : networking.listIngressForAllNamespaces({ _continue, limit }, o())))),
      optional('ingressclasses', () => this.#all('ingressclasses', (_continue, limit) => networking.listIngressClass({ _continue, limit }, o()))),
      optional('networkpolicies', () => this.#namespaced('networkpolicies', (namespace, _continue, limit) => (namespace ? networking.listNamespacedNetworkPolicy({ namespace, _continue, limit }, o()) : networking.listNetworkPolicyForAllNamespaces({ _continue, limit }, o())))),
      optional('poddisruptionbudgets', () => this.#namespaced('poddisruptionbudgets', (namespace, _continue, limit) => (namespace ? policy.listNamespacedPodDisruptionBudget({ namespace, _continue, limit }, o()) : policy.listPodDisruptionBudgetForAllNamespaces({ _continue, limit }, o())))),
      optional('horizontalpodautoscalers', () => this.#namespaced('horizontalpodautoscalers', (namespace, _continue, limit) => (namespace ? autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, _continue, limit }, o()) : autoscaling.listHorizontalPodAutoscalerForAllNamespaces({ _continue, limit }, o())))),
      optional('configmaps', () => this.#namespaced('configmaps', (namespace, _continue, limit) => (namespace ? core.listNamespacedConfigMap({ namespace, _continue, limit }, o()) : core.listConfigMapForAllNamespaces({ _continue, limit }, o())))),
      // Metadata only (the server sends no data): Helm's release Secrets carry name, status and revision as labels.
      optional('secrets', () => this.#namespaced('secrets', (namespace, _continue, limit) => {
        const labelSelector = 'owner=helm';
        const metadataOnly = this.#callOptions('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json');
        return namespace ? core.listNamespacedSecret({ namespace, _continue, limit, labelSelector }, metadataOnly) : core.listSecretForAllNamespaces({ _continue, limit, labelSelector }, metadataOnly);
      })),
      optional('customresourcedefinitions', () => this.#all('customresourcedefinitions', (_continue, limit) => extensions.listCustomResourceDefinition({ _continue, limit }, o()))),
    ]);
    const custom = this.#kc.makeApiClient(CustomObjectsApi);
    const marked = definitions.flatMap((crd) => {
      const marker = STACK_MARKERS.find((m) => m.group === crd.spec.group && m.kind === crd.spec.names.kind);
      const version = crd.spec.versions.find((v) => v.served && v.storage) ?? crd.spec.versions.find((v) => v.served);
      return marker && version ? [{ group: crd.spec.group, version: version.name, plural: crd.spec.names.plural, kind: crd.spec.names.kind, namespaced: crd.spec.scope === 'Namespaced' }] : [];
    });
    const customObjects = (await Promise.all(marked.map((type) => optional(`${type.plural}.${type.group}`, () => (
      type.namespaced
        ? this.#namespaced<CustomObject>(`${type.plural}.${type.group}`, (namespace, _continue, limit) => (namespace
          ? custom.listNamespacedCustomObject({ group: type.group, version: type.version, namespace, plural: type.plural, _continue, limit }, o())
          : custom.listClusterCustomObject({ group: type.group, version: type.version, plural: type.plural, _continue, limit }, o())) as Promise<Page<CustomObject>>)
        : this.#all<CustomObject>(`${type.plural}.${type.group}`, (_continue, limit) => custom.listClusterCustomObject({ group: type.group, version: type.version, plural: type.plural, _continue, limit }, o()) as Promise<Page<CustomObject>>)
    ).then((items) => items.map((item) => ({ ...item, kind: type.kind }))))))).flat();
    return { deployments, statefulSets, daemonSets, jobs, cronJobs, pods, services, claims, nodes, ingresses, ingressClasses, networkPolicies, disruptionBudgets, autoscalers, configMaps, releaseSecrets, definitions, customObjects, unreadable };
  }

  /** Every page of a cluster-wide LIST, following `continue`. */
  async #all<T>(what: string, page: (cont: string | undefined, limit: number) => Promise<Page<T>>): Promise<T[]> {
    const items: T[] = [];
    let cont: string | undefined;
    do {
      const result = await this.#call(what, () => page(cont, this.#options.pageSize ?? 250));
      items.push(...result.items);
      cont = result.metadata?._continue || undefined;
    } while (cont);
    return items;
  }

  /** Cluster-wide, or one LIST per configured namespace. */
  async #namespaced<T>(what: string, page: (namespace: string | undefined, cont: string | undefined, limit: number) => Promise<Page<T>>): Promise<T[]> {
    const namespaces = this.#options.namespaces;
    if (!namespaces || namespaces.length === 0) return this.#all(what, (cont, limit) => page(undefined, cont, limit));
    const lists = await Promise.all(namespaces.map((namespace) => this.#all(`${what} in namespace ${namespace}`, (cont, limit) => page(namespace, cont, limit))));
    return lists.flat();
  }

  async #call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw kubernetesFailure(error, this.#options.cluster, what);
    }
  }

  /** A deadline on each request and, where asked, another Accept (request-options.ts). */
  #callOptions(accept?: string): ConfigurationOptions {
    return requestOptions(this.#options.requestTimeoutMs, accept);
  }
}

interface CustomObject {
  kind: string;
  metadata: V1ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** What was listed, as the model every inventory check reads. */
export function toInventory(listed: Listed, options: Pick<KubernetesInventoryOptions, 'cluster' | 'namespaces'>, readAt: Date): DeploymentInventory {
  const claimPhase = new Map(listed.claims.map((c) => [`${c.metadata?.namespace}/${c.metadata?.name}`, c.status?.phase]));
  const exposed = listed.services.filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer');
  const publishedPorts = (namespace: string | undefined, template: V1PodTemplateSpec | undefined): number[] => {
    const labels = template?.metadata?.labels ?? {};
    return exposed.filter((s) => s.metadata?.namespace === namespace && s.spec?.selector && Object.keys(s.spec.selector).length > 0
      && Object.entries(s.spec.selector).every(([k, v]) => labels[k] === v))
      .flatMap((s) => (s.spec?.ports ?? []).flatMap((p) => [...(p.nodePort ? [p.nodePort] : []), ...(s.spec?.type === 'LoadBalancer' ? [p.port] : [])]));
  };
  const volumes = (namespace: string | undefined, claims: string[]) => claims.map((claim) => {
    const phase = claimPhase.get(`${namespace}/${claim}`);
    return { claim, phase: phase === 'Bound' || phase === 'Lost' ? phase : 'Pending' } as const;
  });
  const workload = (kind: DeployedComponent['kind'], metadata: V1ObjectMeta | undefined, template: V1PodTemplateSpec | undefined, health: Health, extra: Partial<DeployedComponent>): DeployedComponent => {
    const namespace = metadata?.namespace;
    const claims = (template?.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
    const ports = publishedPorts(namespace, template);
    return {
      name: metadata?.name ?? '',
      kind,
      ...(namespace ? { namespace } : {}),
      images: containersOf(template).map((c) => c.image ?? ''),
      labels: metadata?.labels ?? {},
      ...(metadata?.annotations ? { annotations: metadata.annotations } : {}),
      health,
      containers: securityOf(template),
      ...(claims.length > 0 ? { volumes: volumes(namespace, claims) } : {}),
      ...(ports.length > 0 ? { publishedPorts: ports } : {}),
      ...extra,
    };
  };
  const replicaHealth = (desired: number, ready: number): Health => (ready >= desired ? (desired > 0 ? 'healthy' : 'unknown') : 'unhealthy');
  const components: DeployedComponent[] = [
    ...listed.deployments.map((d) => {
      const desired = d.spec?.replicas ?? 1;
      const ready = d.status?.readyReplicas ?? 0;
      return workload('deployment', d.metadata, d.spec?.template, replicaHealth(desired, ready), { replicas: { desired, ready } });
    }),
    ...listed.statefulSets.map((s) => {
      const desired = s.spec?.replicas ?? 1;
      const ready = s.status?.readyReplicas ?? 0;
      const component = workload('statefulset', s.metadata, s.spec?.template, replicaHealth(desired, ready), { replicas: { desired, ready } });
      // A StatefulSet's own claims are named <template>-<set>-<ordinal>, one per replica.
      const templated = (s.spec?.volumeClaimTemplates ?? []).flatMap((t) => Array.from({ length: desired }, (_, i) => `${t.metadata?.name}-${s.metadata?.name}-${i}`));
      const all = [...(component.volumes ?? []), ...volumes(s.metadata?.namespace, templated)];
      return all.length > 0 ? { ...component, volumes: all } : component;
    }),
    ...listed.daemonSets.map((d) => {
      const desired = d.status?.desiredNumberScheduled ?? 0;
      const ready = d.status?.numberReady ?? 0;
      return workload('daemonset', d.metadata, d.spec?.template, replicaHealth(desired, ready), { replicas: { desired, ready } });
    }),
    ...listed.jobs.map((j) => {
      const succeeded = (j.status?.succeeded ?? 0) > 0;
      const failed = (j.status?.failed ?? 0) > 0 && !succeeded;
      return workload('job', j.metadata, j.spec?.template, succeeded ? 'completed' : failed ? 'failed' : 'starting', succeeded ? { exitCode: 0 } : {});
    }),
    ...listed.cronJobs.map((c) => {
      const lastScheduleTime = iso(c.status?.lastScheduleTime);
      const lastSuccessfulTime = iso(c.status?.lastSuccessfulTime);
      const health: Health = c.spec?.suspend ? 'unknown' : !lastScheduleTime ? 'unknown'
        : lastSuccessfulTime && lastSuccessfulTime >= lastScheduleTime ? 'healthy' : 'failed';
      return workload('cronjob', c.metadata, c.spec?.jobTemplate?.spec?.template, health, {
        schedule: { cron: c.spec?.schedule ?? '', ...(c.spec?.suspend ? { suspended: true } : {}), ...(lastScheduleTime ? { lastScheduleTime } : {}), ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}) },
      });
    }),
    // Pods nothing manages: a controller's pods are its workload's.
    ...listed.pods.filter((p) => (p.metadata?.ownerReferences ?? []).length === 0).map((p) => {
      const phase = p.status?.phase;
      const health: Health = phase === 'Succeeded' ? 'completed' : phase === 'Failed' ? 'failed' : phase === 'Pending' ? 'starting'
        : (p.status?.containerStatuses ?? []).every((s) => s.ready) ? 'healthy' : 'unhealthy';
      return workload('pod', p.metadata, { metadata: p.metadata ?? {}, spec: p.spec! }, health, {});
    }),
  ];

  const resource = (kind: string, metadata: V1ObjectMeta | undefined, status?: string, details?: Record<string, string>): InventoryResource => ({
    kind, name: metadata?.name ?? '', ...(metadata?.namespace ? { namespace: metadata.namespace } : {}),
    ...(metadata?.labels ? { labels: metadata.labels } : {}), ...(status ? { status } : {}), ...(details && Object.keys(details).length > 0 ? { details } : {}),
  });
  const resources: InventoryResource[] = [
    ...listed.ingresses.map((i) => resource('Ingress', i.metadata, undefined, { hosts: (i.spec?.rules ?? []).map((r) => r.host ?? '*').join(', '), ...(i.spec?.ingressClassName ? { class: i.spec.ingressClassName } : {}) })),
    ...listed.ingressClasses.map((c) => resource('IngressClass', c.metadata, undefined, { controller: c.spec?.controller ?? '' })),
    ...listed.networkPolicies.map((n) => resource('NetworkPolicy', n.metadata)),
    ...listed.disruptionBudgets.map((b) => resource('PodDisruptionBudget', b.metadata, `${b.status?.disruptionsAllowed ?? 0} disruptions allowed`)),
    ...listed.autoscalers.map((h) => resource('HorizontalPodAutoscaler', h.metadata, undefined, { target: `${h.spec?.scaleTargetRef.kind}/${h.spec?.scaleTargetRef.name}`, replicas: `${h.spec?.minReplicas ?? 1}-${h.spec?.maxReplicas}` })),
    ...listed.definitions.map((d) => resource('CustomResourceDefinition', d.metadata)),
    ...listed.customObjects.map((o) => resource(o.kind, o.metadata, customStatus(o), customDetails(o))),
  ];

  const { settings, settingSources } = readSettings(listed);
  const where = options.namespaces && options.namespaces.length > 0 ? `, namespaces ${options.namespaces.join(', ')}` : '';
  return {
    source: `Kubernetes API ${options.cluster.server} (context ${options.cluster.context}${where})`,
    orchestrator: 'kubernetes',
    readAt: readAt.toISOString(),
    nodes: listed.nodes.map((n) => ({
      name: n.metadata?.name ?? '',
      labels: n.metadata?.labels ?? {},
      ...(n.status?.nodeInfo?.kubeletVersion ? { kubeletVersion: n.status.nodeInfo.kubeletVersion } : {}),
      ...(n.spec?.providerID ? { providerId: n.spec.providerID } : {}),
      ...(n.status?.capacity ? { capacity: { cpuCores: cpuCores(n.status.capacity.cpu), memoryBytes: bytes(n.status.capacity.memory) } } : {}),
    })),
    components,
    services: listed.services.map((s) => ({
      name: s.metadata?.name ?? '', ...(s.metadata?.namespace ? { namespace: s.metadata.namespace } : {}), type: s.spec?.type ?? 'ClusterIP',
      ports: (s.spec?.ports ?? []).map((p) => p.port), nodePorts: (s.spec?.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : [])),
    })),
    helmReleases: helmReleases(listed),
    resources,
    settings,
    settingSources,
    ...(Object.keys(listed.unreadable).length > 0 ? { unreadable: listed.unreadable } : {}),
  };
}

function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function containersOf(template: V1PodTemplateSpec | undefined): V1Container[] {
  return [...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])];
}

/** Each container's effective settings: its own securityContext over the pod's. */
function securityOf(template: V1PodTemplateSpec | undefined): NonNullable<DeployedComponent['containers']> {
  const pod: V1PodSecurityContext = template?.spec?.securityContext ?? {};
  return (template?.spec?.containers ?? []).map((c) => {
    const own = c.securityContext ?? {};
    const runAsNonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
    const runAsUser = own.runAsUser ?? pod.runAsUser;
    return {
      name: c.name,
      ...(runAsNonRoot !== undefined ? { runAsNonRoot } : {}),
      ...(runAsUser !== undefined ? { runAsUser } : {}),
      ...(own.readOnlyRootFilesystem !== undefined ? { readOnlyRootFilesystem: own.readOnlyRootFilesystem } : {}),
      ...(own.privileged !== undefined ? { privileged: own.privileged } : {}),
    };
  });
}

/** Helm 3 keeps one Secret per revision; the newest names the release's status. */
function helmReleases(listed: Listed): DeploymentInventory['helmReleases'] {
  const newest = new Map<string, { name: string; namespace: string; revision: number; status: string }>();
  for (const secret of listed.releaseSecrets) {
    const labels = secret.metadata?.labels ?? {};
    if (labels.owner !== 'helm' || !labels.name) continue;
    const namespace = secret.metadata?.namespace ?? 'default';
    const revision = Number(labels.version ?? 0);
    const key = `${namespace}/${labels.name}`;
    if ((newest.get(key)?.revision ?? -1) < revision) newest.set(key, { name: labels.name, namespace, revision, status: labels.status ?? 'unknown' });
  }
  const workloads = [...listed.deployments, ...listed.statefulSets, ...listed.daemonSets, ...listed.jobs, ...listed.cronJobs];
  return [...newest.values()].map((release) => {
    // The chart is inside the encoded release, which is never read; the workloads' labels name their charts.
    const charts = [...new Set(workloads.filter((w) => w.metadata?.namespace === release.namespace && w.metadata?.labels?.['app.kubernetes.io/instance'] === release.name)
      .flatMap((w) => (w.metadata?.labels?.['helm.sh/chart'] ? [w.metadata.labels['helm.sh/chart']] : [])))].sort();
    const chart = charts.length === 0 ? `revision ${release.revision}` : `revision ${release.revision}, charts ${charts.join(', ')}`;
    return { name: release.name, namespace: release.namespace, chart, status: release.status };
  });
}

function customStatus(object: CustomObject): string | undefined {
  const status = object.status ?? {};
  if (object.kind === 'Application') {
    const sync = (status.sync as { status?: string } | undefined)?.status ?? 'Unknown';
    const health = (status.health as { status?: string } | undefined)?.status ?? 'Unknown';
    return `${sync}/${health}`;
  }
  if (typeof status.phase === 'string') return status.phase;
  if (typeof status.state === 'string') return status.state;
  const ready = (status.conditions as Array<{ type?: string; status?: string }> | undefined)?.find((c) => c.type === 'Ready');
  return ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : undefined;
}

/** The fields of a marker resource a guarantee reads: where an Application deploys, how long backups are kept. */
function customDetails(object: CustomObject): Record<string, string> {
  const spec = object.spec ?? {};
  if (object.kind === 'Application') {
    const source = (spec.source ?? {}) as { repoURL?: string; path?: string; chart?: string };
    const destination = (spec.destination ?? {}) as { server?: string; name?: string; namespace?: string };
    return { source: [source.repoURL, source.chart ?? source.path].filter(Boolean).join(' '), destination: `${destination.server ?? destination.name ?? ''} ${destination.namespace ?? ''}`.trim() };
  }
  if (object.kind === 'Schedule') {
    const template = (spec.template ?? {}) as { ttl?: string; includedNamespaces?: string[] };
    return { schedule: String(spec.schedule ?? ''), ...(template.ttl ? { ttl: template.ttl } : {}), ...(template.includedNamespaces ? { namespaces: template.includedNamespaces.join(', ') } : {}) };
  }
  if (object.kind === 'PerconaXtraDBCluster' || object.kind === 'PerconaServerMongoDB') {
    const schedules = ((spec.backup ?? {}) as { schedule?: Array<{ name?: string; schedule?: string; keep?: number }> }).schedule ?? [];
    return Object.fromEntries(schedules.map((s) => [`backup ${s.name ?? ''}`.trim(), `${s.schedule ?? ''} keep ${s.keep ?? 'unset'}`]));
  }
  return {};
}

/** Kafka's replication and retention, from a broker properties ConfigMap (Bitnami chart) or a Strimzi Kafka resource. */
function readSettings(listed: Listed): { settings: Record<string, number | string>; settingSources: Record<string, string> } {
  const settings: Record<string, number | string> = {};
  const settingSources: Record<string, string> = {};
  const set = (key: string, value: number | undefined, source: string) => {
    if (value === undefined || Number.isNaN(value) || key in settings) return;
    settings[key] = value;
    settingSources[key] = source;
  };
  const fromKafkaConfig = (config: Record<string, string | number>, source: string) => {
    const replication = [config['default.replication.factor'], config['offsets.topic.replication.factor']].filter((v) => v !== undefined).map(Number);
    // A topic is as safe as the least replicated of them (the offsets topic included).
    if (replication.length > 0) set('kafka.replicationFactor', Math.min(...replication), source);
    if (config['num.partitions'] !== undefined) set('kafka.partitions', Number(config['num.partitions']), source);
    if (config['log.retention.hours'] !== undefined) set('kafka.retentionHours', Number(config['log.retention.hours']), source);
    else if (config['log.retention.ms'] !== undefined) set('kafka.retentionHours', Number(config['log.retention.ms']) / 3_600_000, source);
  };
  for (const kafka of listed.customObjects.filter((o) => o.kind === 'Kafka')) {
    const config = ((kafka.spec?.kafka ?? {}) as { config?: Record<string, string | number> }).config ?? {};
    fromKafkaConfig(config, `Kafka ${kafka.metadata.namespace}/${kafka.metadata.name} (spec.kafka.config)`);
  }
  for (const map of listed.configMaps) {
    for (const [key, text] of Object.entries(map.data ?? {})) {
      if (!/default\.replication\.factor\s*=/.test(text)) continue;
      fromKafkaConfig(parseProperties(text), `ConfigMap ${map.metadata?.namespace}/${map.metadata?.name} (${key})`);
    }
  }
  return { settings, settingSources };
}

function parseProperties(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#') && line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]));
}

function cpuCores(quantity: string | undefined): number {
  if (!quantity) return 0;
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

const UNITS: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
function bytes(quantity: string | undefined): number {
  const match = quantity?.match(/^(\d+(?:\.\d+)?)([KMGT]i?|k)?$/);
  if (!match) return 0;
  return Number(match[1]) * (match[2] ? UNITS[match[2]] ?? 1 : 1);
}
