import type { Measurement } from '../evidence/evidence.ts';
import type { Finding } from '../evidence/finding.ts';
import { COMPONENT_KINDS, describe, findComponentsOfKind, type ComponentKind, type ComponentKinds } from '../inventory/component-kinds.ts';
import type { DeployedComponent, DeploymentInventory, PublishedPort } from '../inventory/deployment-inventory.ts';

const GiB = 1024 ** 3;
/** Resource kinds that schedule backups: Velero, and the Percona operators iac-modules deploys. */
const MOJALOOP_IMAGE = /(^|\/)mojaloop\//;
const BACKUP_KINDS = ['Schedule', 'PerconaXtraDBClusterBackup', 'PerconaServerMongoDBBackup'];

/**
 * Deployment guarantees checked against an inventory: what runs, where, how it is managed,
 * replicated and hardened. Every measurement cites the inventory's source.
 */
export class InventoryProbe {
  readonly #inventory: DeploymentInventory;
  readonly #kinds: ComponentKinds;

  /** `kinds`: how components are recognised (the defaults, or the config's `components` patterns). */
  constructor(inventory: DeploymentInventory, options: { kinds?: ComponentKinds } = {}) {
    this.#inventory = inventory;
    this.#kinds = options.kinds ?? COMPONENT_KINDS;
  }

  /** Read from what the deployment declares, nothing observed running. */
  get #fromDefinition(): boolean {
    return this.#inventory.observedFrom === 'definition';
  }

  nodeCount(bound: { atMost?: number; atLeast?: number }): Measurement[] {
    const count = this.#inventory.nodes.length;
    const threshold = [bound.atLeast !== undefined ? `≥ ${bound.atLeast}` : '', bound.atMost !== undefined ? `≤ ${bound.atMost}` : ''].filter(Boolean).join(' and ');
    const ok = (bound.atLeast === undefined || count >= bound.atLeast) && (bound.atMost === undefined || count <= bound.atMost);
    return [this.#m('nodes', `${count} (${this.#inventory.nodes.map((n) => n.name).join(', ')})`, threshold, ok)];
  }

  orchestratedByCompose(): Measurement[] {
    const outside = this.#inventory.components.filter((c) => !c.labels['com.docker.compose.project']);
    return this.#unlessEmpty([this.#m('components outside docker compose', list(outside.map(describe)), 'none', this.#inventory.orchestrator === 'docker-compose' && outside.length === 0)]);
  }

  /**
   * "Configurable profiles" is a feature of the definition: it offers named profiles to choose from
   * (a harness started with none of them is still configurable). The profiles in use are shown.
   */
  configurableProfiles(): Finding {
    const declared = this.#inventory.declaredProfiles;
    if (!declared) {
      return { notEvaluated: 'the profiles a compose project offers are in its compose files, and this inventory was read without them (give the harness folder: --harness DIR)' };
    }
    const used = this.#inventory.composeProfiles ?? [];
    return [this.#m('named profiles the compose definition offers', `${declared.length} (${list(declared)}); in use: ${list(used)}`, 'at least 2 to choose from', declared.length >= 2)];
  }

  noHelm(): Measurement[] {
    const managed = this.#inventory.components.filter(isHelmManaged).map(describe);
    const releases = this.#inventory.helmReleases.map((r) => `release ${r.namespace}/${r.name}`);
    return this.#unlessEmpty([this.#m('Helm-managed components and releases', list([...releases, ...managed]), 'none', managed.length + releases.length === 0)]);
  }

  helmManaged(): Measurement[] {
    const unmanaged = this.#inventory.components.filter((c) => c.kind !== 'pod' && !isHelmManaged(c)).map(describe);
    return [this.#m('components not managed by Helm', list(unmanaged), 'none', this.#inventory.components.length > 0 && unmanaged.length === 0)];
  }

  noneOfKind(kind: ComponentKind): Measurement[] {
    const found = findComponentsOfKind(this.#inventory, kind, this.#kinds).map((f) => f.evidence);
    return this.#unlessEmpty([this.#m(`${kind} components`, list(found), 'none (the seed says this tier has none)', found.length === 0)]);
  }

  /** At least one running workload of the kind, all of them healthy; custom resources alone run nothing. */
  kindDeployedAndHealthy(kind: ComponentKind): Finding {
    const found = findComponentsOfKind(this.#inventory, kind, this.#kinds);
    const workloads = found.flatMap((f) => (f.component ? [f.component] : []));
    const unhealthy = workloads.filter((c) => c.health !== 'healthy' && c.health !== 'completed');
    if (this.#fromDefinition && workloads.length > 0) return this.#healthUnobserved(workloads);
    return [
      this.#m(`${kind} workloads`, list(found.map((f) => f.evidence)), 'at least one workload deployed', workloads.length > 0),
      this.#m(`unhealthy ${kind} workloads`, list(unhealthy.map((c) => `${describe(c)} is ${c.health}`)), 'none', unhealthy.length === 0),
    ];
  }

  servicesHealthy(names: readonly string[], optional = false): Finding {
    // From a definition, what is deployed is known and a service missing fails; health is not known.
    const deployed = names.flatMap((name) => this.#find(name) ?? []);
    if (this.#fromDefinition && deployed.length > 0 && (optional || deployed.length === names.length)) return this.#healthUnobserved(deployed);
    const measured = names.map((name) => {
      const component = this.#find(name);
      if (!component) return this.#m(`service ${name}`, optional ? 'not deployed (optional)' : 'not deployed', optional ? 'healthy if deployed' : 'deployed and healthy', optional);
      // Only what a definition shows is measured: the service is there; its absent siblings fail the guarantee.
      if (this.#fromDefinition) return this.#m(`service ${name}`, 'deployed by the selected profiles (health not observed)', 'deployed', true);
      // Running with no health check declared: its health cannot be read, so it neither passes nor fails here.
      if (component.health === 'unknown') return this.#m(`service ${name}`, 'running, no health check declared (health not observed)', optional ? 'healthy if deployed' : 'deployed and healthy', true);
      const ready = component.replicas ? ` (${component.replicas.ready}/${component.replicas.desired} ready)` : '';
      return this.#m(`service ${name}`, `${component.health}${ready}`, optional ? 'healthy if deployed' : 'deployed and healthy', component.health === 'healthy');
    });
    const unobserved = deployed.filter((c) => c.health === 'unknown');
    // Nothing failed, but a pass would include services whose health nobody saw.
    if (unobserved.length > 0 && measured.every((m) => m.ok)) {
      return { notEvaluated: `${list(unobserved.map((c) => c.name))} ${unobserved.length > 1 ? 'run' : 'runs'} with no health check declared, so ${unobserved.length > 1 ? 'their' : 'its'} health is not observable (${this.#inventory.source}); the others are healthy` };
    }
    // "Not deployed, which is fine" is an absence too.
    return optional ? this.#unlessEmpty(measured) : measured;
  }

  replicasAtLeast(names: readonly string[], minimum: number): Measurement[] {
    return names.map((name) => {
      const ready = this.#find(name)?.replicas?.ready;
      return this.#m(`ready replicas of ${name}`, ready ?? 'not deployed', `≥ ${minimum}`, (ready ?? 0) >= minimum);
    });
  }

  persistentVolumes(names: readonly string[]): Measurement[] {
    return names.map((name) => {
      const volumes = this.#find(name)?.volumes ?? [];
      const bound = volumes.filter((v) => v.phase === 'Bound');
      return this.#m(`persistent volumes of ${name}`, volumes.length === 0 ? 'none (data lives in the container)' : list(volumes.map((v) => `${v.claim} ${v.phase}`)), 'at least one, all Bound', volumes.length > 0 && bound.length === volumes.length);
    });
  }

  distributionIn(allowed: readonly string[]): Measurement[] {
    const detected = detectDistribution(this.#inventory);
    return [this.#m('Kubernetes distribution', detected, `one of ${allowed.join(', ')}`, allowed.includes(detected))];
  }

  platformIn(allowed: readonly string[]): Measurement[] {
    const detected = detectPlatform(this.#inventory);
    return [this.#m('platform', detected, `one of ${allowed.join(', ')}`, allowed.includes(detected))];
  }

  helmReleasesDeployed(names: readonly string[]): Measurement[] {
    return names.map((name) => {
      const release = this.#inventory.helmReleases.find((r) => r.name === name);
      return this.#m(`Helm release ${name}`, release ? `${release.chart} ${release.status}` : 'absent', 'deployed', release?.status === 'deployed');
    });
  }

  jobSucceeded(name: string): Finding {
    const job = this.#find(name);
    if (this.#fromDefinition) {
      return { notEvaluated: `job ${name} ${job ? `is ${describe(job)}, selected by the profiles` : 'is not selected by the profiles'}; its exit code exists only once the harness has run it (needs a Docker engine: --target compose brings the harness up)` };
    }
    if (!job && this.#inventory.orchestrator === 'docker-compose') {
      return { notEvaluated: `job ${name} did not run in this deployment (${this.#inventory.source}): it is not in the profiles started (${list(this.#inventory.composeProfiles ?? [])}); start its profile too (--compose-profile ${name})` };
    }
    const reports = job?.artifacts?.length ? ` (kept: ${job.artifacts.join(', ')})` : '';
    const value = !job ? 'not found' : `${job.exitCode !== undefined ? `exit code ${job.exitCode}` : job.health}${reports}`;
    return [this.#m(`job ${name}`, value, 'exit code 0', job?.exitCode === 0 || job?.health === 'completed')];
  }

  helmTestJobsSucceeded(release: string): Measurement[] {
    const tests = this.#inventory.components.filter((c) => c.annotations?.['helm.sh/hook']?.split(',').includes('test')
      && c.labels['app.kubernetes.io/instance'] === release);
    const failed = tests.filter((c) => !(c.exitCode === 0 || c.health === 'completed'));
    return [
      this.#m(`Helm test jobs of ${release}`, tests.length, 'at least one', tests.length > 0),
      this.#m(`failed Helm test jobs of ${release}`, list(failed.map((c) => `${describe(c)} (${c.exitCode ?? c.health})`)), 'none', failed.length === 0),
    ];
  }

  gitOpsApplicationsSynced(): Measurement[] {
    const apps = this.#inventory.resources.filter((r) => r.kind === 'Application');
    const notSynced = apps.filter((a) => a.status !== 'Synced/Healthy');
    return [
      this.#m('GitOps applications', apps.length, 'at least one', apps.length > 0),
      this.#m('GitOps applications not synced and healthy', list(notSynced.map((a) => `${a.name} ${a.status ?? 'unknown'}`)), 'none', notSynced.length === 0),
    ];
  }

  kafkaReplicationAtLeast(factor: number): Measurement[] {
    return this.#settingAtLeast('kafka.replicationFactor', 'Kafka replication factor', factor);
  }

  kafkaRetentionAtLeast(durationMs: number): Measurement[] {
    return this.#settingAtLeast('kafka.retentionHours', 'Kafka retention', durationMs / 3_600_000, ' h');
  }

  #settingAtLeast(setting: string, label: string, minimum: number, unit = ''): Measurement[] {
    const value = this.#inventory.settings[setting];
    const number = typeof value === 'number' ? value : Number(value);
    return [this.#m(label, value === undefined ? 'not found' : `${value}${unit}`, `≥ ${minimum}${unit}`, value !== undefined && number >= minimum)];
  }

  /** Velero schedules, Percona scheduled backups, or a CronJob that backs something up. */
  backupSchedule(): Measurement[] {
    const found = [
      ...this.#inventory.resources.filter((r) => BACKUP_KINDS.includes(r.kind)).map((r) => `${r.kind} ${r.name}`),
      ...this.#inventory.components.filter((c) => c.kind === 'cronjob' && /backup/i.test(c.name)).map(describe),
    ];
    return [this.#m('backup schedules', list(found), 'at least one', found.length > 0)];
  }

  /** A CronJob that archives (moves aged data out of the live stores). */
  archivingJob(): Measurement[] {
    const found = this.#inventory.components.filter((c) => (c.kind === 'cronjob' || c.kind === 'job') && /archiv/i.test(c.name)).map(describe);
    return [this.#m('archiving jobs', list(found), 'at least one', found.length > 0)];
  }

  containersHardened(): Measurement[] {
    const containers = this.#containers();
    const root = containers.filter(({ c }) => !(c.runAsNonRoot || (c.runAsUser ?? 0) > 0)).map(({ at }) => at);
    const writable = containers.filter(({ c }) => !c.readOnlyRootFilesystem).map(({ at }) => at);
    return [
      this.#m('containers that may run as root', list(root), 'none', containers.length > 0 && root.length === 0),
      this.#m('containers with a writable root filesystem', list(writable), 'none', containers.length > 0 && writable.length === 0),
    ];
  }

  noPrivileged(): Measurement[] {
    const containers = this.#containers();
    const privileged = containers.filter(({ c }) => c.privileged).map(({ at }) => at);
    return [this.#m('privileged containers', list(privileged), 'none', containers.length > 0 && privileged.length === 0)];
  }

  /** Namespaces that run a Mojaloop image, each with at least one NetworkPolicy. */
  networkPoliciesCover(): Measurement[] {
    const mojaloop = this.#inventory.components.filter((c) => c.images.some((image) => MOJALOOP_IMAGE.test(image)));
    const namespaces = new Set(mojaloop.map((c) => c.namespace ?? 'default'));
    const covered = new Set(this.#inventory.resources.filter((r) => r.kind === 'NetworkPolicy').map((r) => r.namespace ?? 'default'));
    const bare = [...namespaces].filter((ns) => !covered.has(ns));
    return this.#unlessEmpty([this.#m('Mojaloop namespaces without a network policy', list(bare), 'none', namespaces.size > 0 && bare.length === 0)]);
  }

  /**
   * Zero security, shown: every port published to the host is documented (declared in the
   * deployment's definition, so nobody is surprised by it) and reachable without credentials (a TCP
   * connection from the host succeeded).
   */
  publishedPortsDocumentedAndReachable(): Finding {
    const ports = this.#inventory.components.flatMap((c) => (c.ports ?? c.publishedPorts?.map((host): PublishedPort => ({ host, container: host })) ?? [])
      .map((p) => ({ ...p, at: `${p.host ?? 'ephemeral'}→${p.container} (${c.name})` })));
    if (ports.length === 0) {
      return this.#unlessEmpty([this.#m('ports published to the host', 'none', 'at least one, documented and reachable (a harness is reached through them)', false)]);
    }
    if (this.#fromDefinition) {
      return { notEvaluated: `the definition declares ${ports.length} published port${ports.length > 1 ? 's' : ''}: ${list(ports.map((p) => p.at))}; whether each is reachable without credentials needs the running deployment (a Docker engine: --target compose brings it up)` };
    }
    const undocumented = ports.filter((p) => p.declared === false);
    const untried = ports.filter((p) => p.reachable === undefined);
    if (undocumented.length === 0 && untried.length === ports.length) {
      return { notEvaluated: `published: ${list(ports.map((p) => p.at))}; this inventory does not say whether they were reachable or declared` };
    }
    const unreachable = ports.filter((p) => p.reachable === false);
    return [
      this.#m('ports reachable from the host without credentials', list(ports.filter((p) => p.reachable).map((p) => p.at)), 'listed (zero security: nothing guards them)', true),
      this.#m('published ports the definition does not declare', list(undocumented.map((p) => p.at)), 'none (every published port documented)', undocumented.length === 0),
      this.#m('published ports that refused a connection from the host', list([...unreachable, ...untried].map((p) => `${p.at}${p.reachable === undefined ? ' (not tried)' : ''}`)), 'none', unreachable.length + untried.length === 0),
    ];
  }

  usageAtMost(maxMemoryGiB: number, maxCpuCores: number): Finding {
    const usage = this.#inventory.usage;
    // An absent figure is not a deployment that is too big.
    if (!usage) return { notEvaluated: `resource usage at rest is not in this inventory (${this.#inventory.source})` };
    return [
      this.#m('memory used at rest', `${(usage.memoryBytes / GiB).toFixed(2)} GiB`, `≤ ${maxMemoryGiB} GiB`, usage.memoryBytes <= maxMemoryGiB * GiB),
      this.#m('CPU used at rest', `${usage.cpuCores.toFixed(2)} cores`, `≤ ${maxCpuCores} cores`, usage.cpuCores <= maxCpuCores),
    ];
  }

  /** From a definition: the components are there, whether they are healthy is not known. */
  #healthUnobserved(components: readonly DeployedComponent[]): Finding {
    const checks = components.map((c) => `${c.name}${c.healthcheck ? '' : ' (no health check declared)'}`);
    return { notEvaluated: `deployed by the selected profiles (${this.#inventory.source}): ${list(checks)}; whether they are healthy needs the running containers (a Docker engine: --target compose brings the harness up)` };
  }

  /** An absence ("no gateway", "nothing outside compose") proves nothing in an inventory that holds nothing. */
  #unlessEmpty(measurements: Measurement[]): Measurement[] {
    if (this.#inventory.components.length > 0) return measurements;
    return [this.#m('components in the inventory', 0, 'at least one (an empty inventory proves no absence)', false), ...measurements];
  }

  #containers() {
    return this.#inventory.components.flatMap((component) =>
      (component.containers ?? []).map((c) => ({ c, at: `${describe(component)}/${c.name}` })));
  }

  #find(name: string): DeployedComponent | undefined {
    return this.#inventory.components.find((c) => c.name === name
      || c.labels['app.kubernetes.io/name'] === name
      || c.labels['com.docker.compose.service'] === name);
  }

  #m(name: string, value: string | number, threshold: string, ok: boolean): Measurement {
    return { name, value, threshold, ok, source: this.#inventory.source };
  }
}

function isHelmManaged(component: DeployedComponent): boolean {
  return component.labels['app.kubernetes.io/managed-by'] === 'Helm' || component.labels['helm.sh/chart'] !== undefined;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

/** k3s and MicroK8s mark their kubelet version or node labels; clouds their provider ids. */
export function detectDistribution(inventory: DeploymentInventory): string {
  const node = inventory.nodes[0];
  if (!node) return 'unknown (no nodes)';
  if (node.kubeletVersion?.includes('+k3s')) return 'k3s';
  if (Object.keys(node.labels).some((label) => label.startsWith('microk8s.io/'))) return 'microk8s';
  if (node.labels['eks.amazonaws.com/nodegroup'] || node.kubeletVersion?.includes('-eks-')) return 'eks';
  if (node.providerId?.startsWith('gce://') || node.providerId?.startsWith('azure://')) return 'managed';
  return 'kubernetes (unrecognised distribution)';
}

/** Cloud nodes carry a provider id; nodes without one are on-premises. An unknown provider is not guessed. */
export function detectPlatform(inventory: DeploymentInventory): string {
  const node = inventory.nodes[0];
  if (!node) return 'unknown (no nodes)';
  const providerId = node.providerId ?? '';
  if (providerId === '') return 'on-premises';
  if (providerId.startsWith('aws://')) return 'aws';
  if (providerId.startsWith('azure://')) return 'azure';
  if (providerId.startsWith('gce://')) return 'gcp';
  return `unknown (provider id ${providerId.split('/')[0]})`;
}
