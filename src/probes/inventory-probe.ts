import type { Measurement } from '../evidence/evidence.ts';
import type { Finding, NotEvaluated } from '../evidence/finding.ts';
import { COMPONENT_KINDS, describe, findComponentsOfKind, type ComponentKind, type ComponentKinds } from '../inventory/component-kinds.ts';
import type { DeployedComponent, DeploymentInventory, PublishedPort } from '../inventory/deployment-inventory.ts';
import { isMojaloopImage, workloadRoles, type WorkloadRole } from '../inventory/workload-roles.ts';

const GiB = 1024 ** 3;
/** Resource kinds that schedule backups: Velero, and the Percona operators iac-modules deploys. */
const BACKUP_KINDS = ['Schedule', 'PerconaXtraDBClusterBackup', 'PerconaServerMongoDBBackup'];
const PERCONA_CLUSTERS = ['PerconaXtraDBCluster', 'PerconaServerMongoDB'];

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

  nodeCount(bound: { atMost?: number; atLeast?: number }): Measurement[] | NotEvaluated {
    if (this.#unreadable('nodes')) return this.#unreadable('nodes')!;
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

  /** The guarantee is about Mojaloop's components: a cluster's own (CoreDNS, a storage provisioner) are not the deployment's to manage. */
  helmManaged(): Measurement[] {
    const mojaloop = this.#inventory.components.filter((c) => c.kind !== 'pod' && isMojaloop(c));
    const unmanaged = mojaloop.filter((c) => !isHelmManaged(c)).map(describe);
    return [this.#m('Mojaloop components not managed by Helm', mojaloop.length === 0 ? 'no Mojaloop component found' : list(unmanaged), 'none, of at least one', mojaloop.length > 0 && unmanaged.length === 0)];
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

  /** The distribution with what identified it (kubelet version, node labels), so a mismatch is reported with its evidence. */
  distributionIn(allowed: readonly string[]): Measurement[] | NotEvaluated {
    if (this.#unreadable('nodes')) return this.#unreadable('nodes')!;
    const detected = detectDistribution(this.#inventory);
    const node = this.#inventory.nodes[0];
    const evidence = node ? ` (node ${node.name}: kubelet ${node.kubeletVersion ?? 'version unknown'}${distributionLabels(node.labels)})` : '';
    return [this.#m('Kubernetes distribution', `${detected}${evidence}`, `one of ${allowed.join(', ')}`, allowed.includes(detected))];
  }

  platformIn(allowed: readonly string[]): Measurement[] | NotEvaluated {
    if (this.#unreadable('nodes')) return this.#unreadable('nodes')!;
    const detected = detectPlatform(this.#inventory);
    return [this.#m('platform', detected, `one of ${allowed.join(', ')}`, allowed.includes(detected))];
  }

  helmReleasesDeployed(names: readonly string[]): Measurement[] | NotEvaluated {
    if (this.#unreadable('secrets')) return this.#unreadable('secrets', 'Helm keeps its releases in Secrets (their labels are read, never their data)')!;
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

  /**
   * A control centre managing several hub environments: GitOps applications that deploy Mojaloop
   * to distinct destinations (cluster and namespace), each synced and healthy. One application is
   * one environment, however healthy.
   */
  hubEnvironmentsManaged(minimum: number): Measurement[] {
    const hubs = this.#inventory.resources.filter((r) => r.kind === 'Application' && /mojaloop/i.test(`${r.name} ${r.details?.source ?? ''}`));
    const destinations = new Map<string, typeof hubs>();
    for (const app of hubs) {
      const destination = app.details?.destination || `${app.namespace ?? ''}/${app.name}`;
      destinations.set(destination, [...destinations.get(destination) ?? [], app]);
    }
    const healthy = [...destinations].filter(([, apps]) => apps.every((a) => a.status === 'Synced/Healthy'));
    const described = hubs.map((a) => `Application ${a.namespace ? `${a.namespace}/` : ''}${a.name} → ${a.details?.destination ?? 'destination unknown'} (${a.status ?? 'status unknown'})`);
    return [
      this.#m('hub environments under the control centre (Mojaloop applications by destination)', `${destinations.size}: ${list(described)}`, `≥ ${minimum} distinct destinations`, destinations.size >= minimum),
      this.#m('hub environments synced and healthy', healthy.length, `≥ ${minimum}, every one of them`, healthy.length >= minimum && healthy.length === destinations.size),
    ];
  }

  /** What the cluster's nodes offer together: a resource requirement is a floor the infrastructure must reach, never a ceiling. */
  capacityAtLeast(memoryGiB: number, cpuCores: number): Measurement[] | NotEvaluated {
    if (this.#unreadable('nodes')) return this.#unreadable('nodes')!;
    const nodes = this.#inventory.nodes;
    const unknown = nodes.filter((n) => !n.capacity).map((n) => n.name);
    if (nodes.length === 0 || unknown.length > 0) {
      return { notEvaluated: `the capacity of ${nodes.length === 0 ? 'the nodes' : `node(s) ${unknown.join(', ')}`} is not in the inventory (${this.#inventory.source}); a Kubernetes target reads it from each node's status.capacity` };
    }
    const memory = nodes.reduce((sum, n) => sum + n.capacity!.memoryBytes, 0);
    const cores = nodes.reduce((sum, n) => sum + n.capacity!.cpuCores, 0);
    return [
      this.#m('memory of the nodes', `${(memory / GiB).toFixed(1)} GiB on ${nodes.length} node(s)`, `≥ ${memoryGiB} GiB`, memory >= memoryGiB * GiB * 0.97),
      this.#m('CPU cores of the nodes', `${cores} on ${nodes.length} node(s)`, `≥ ${cpuCores}`, cores >= cpuCores),
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
    const from = this.#inventory.settingSources?.[setting];
    return [this.#m(label, value === undefined ? 'not found' : `${value}${unit}${from ? ` (${from})` : ''}`, `≥ ${minimum}${unit}`, value !== undefined && number >= minimum)];
  }

  /**
   * Retention for audit and compliance: the hub's record is its ledger database, so what is
   * retained is what its backups keep (Velero Schedule ttl, Percona backup schedules' keep × their
   * interval). A ledger database on no persistent volume retains nothing beyond its pod; with
   * neither, the inventory shows no retention either way.
   */
  ledgerRetentionAtLeast(durationMs: number, ledgerDatabase = 'mysqldb'): Measurement[] | NotEvaluated {
    const hours = durationMs / 3_600_000;
    const database = this.#find(ledgerDatabase);
    const kept = this.#backupRetention(database?.namespace);
    if (kept.length > 0) {
      return kept.map((k) => this.#m(`backups of the ledger kept by ${k.by}`, `${formatHours(k.hours)} (${k.how})`, `≥ ${formatHours(hours)}`, k.hours >= hours));
    }
    if (database && (database.volumes ?? []).length === 0) {
      return [this.#m(`retention of the ledger database ${describe(database)}`, 'none: no backup schedule, and its data lives in the container (no persistent volume), so it goes with the pod', `kept ≥ ${formatHours(hours)}`, false)];
    }
    return {
      notEvaluated: `no evidence of how long the ledger is kept in ${this.#inventory.source}: no backup schedule with a retention (a Velero Schedule with spec.template.ttl covering ${database?.namespace ?? 'the ledger\'s namespace'}, or a Percona backup schedule with keep) ${database ? `and the ledger database ${describe(database)} keeps its data on a persistent volume` : `and no ledger database "${ledgerDatabase}" found`}`,
    };
  }

  #backupRetention(namespace: string | undefined): Array<{ by: string; hours: number; how: string }> {
    const found: Array<{ by: string; hours: number; how: string }> = [];
    for (const r of this.#inventory.resources) {
      const at = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
      if (r.kind === 'Schedule' && r.details?.ttl) {
        const covered = !r.details.namespaces || namespace === undefined || r.details.namespaces.split(', ').some((ns) => ns === namespace || ns === '*');
        const ttl = parseGoDuration(r.details.ttl);
        if (covered && ttl !== undefined) found.push({ by: at, hours: ttl, how: `ttl ${r.details.ttl}, schedule "${r.details.schedule ?? '?'}"` });
      }
      if (r.kind === 'PerconaXtraDBCluster' || r.kind === 'PerconaServerMongoDB') {
        for (const [name, value] of Object.entries(r.details ?? {})) {
          const match = value.match(/^(.*) keep (\d+)$/);
          const interval = match ? cronIntervalHours(match[1]!) : undefined;
          if (match && interval !== undefined) found.push({ by: `${at} ${name}`, hours: Number(match[2]) * interval, how: `keeps ${match[2]} backups taken "${match[1]}" (every ${formatHours(interval)})` });
        }
      }
    }
    return found;
  }

  /** Velero schedules, Percona scheduled backups, or a CronJob that backs something up. */
  backupSchedule(): Measurement[] {
    const found = [
      ...this.#inventory.resources.filter((r) => BACKUP_KINDS.includes(r.kind)).map((r) => `${r.kind} ${r.name}`),
      // A Percona cluster schedules its own backups (spec.backup.schedule).
      ...this.#inventory.resources.filter((r) => PERCONA_CLUSTERS.includes(r.kind)).flatMap((r) => Object.entries(r.details ?? {})
        .filter(([key]) => key.startsWith('backup ')).map(([key, value]) => `${r.kind} ${r.name} ${key} "${value}"`)),
      ...this.#inventory.components.filter((c) => c.kind === 'cronjob' && /backup/i.test(c.name)).map(describe),
    ];
    return [this.#m('backup schedules', list(found), 'at least one', found.length > 0)];
  }

  /**
   * Archiving is a job that exists and does its work: a CronJob whose last successful run is no
   * older than its schedule's interval (plus an hour for the run itself). A one-off Job proves it
   * ran once, not that archiving goes on.
   */
  archivingJob(): Measurement[] {
    const now = Date.parse(this.#inventory.readAt ?? new Date().toISOString());
    const candidates = this.#inventory.components.filter((c) => (c.kind === 'cronjob' || c.kind === 'job') && /archiv/i.test(c.name));
    if (candidates.length === 0) return [this.#m('archiving jobs', 'none', 'a CronJob that archives, its last run successful within its schedule', false)];
    return candidates.map((c) => {
      if (c.kind === 'job') return this.#m(`archiving job ${describe(c)}`, `a one-off job (${c.health}), no schedule`, 'a CronJob whose last run succeeded within its schedule', false);
      if (!c.schedule) return this.#m(`archiving CronJob ${describe(c)}`, 'its schedule and last runs are not in the inventory', 'a CronJob whose last run succeeded within its schedule', false);
      const interval = cronIntervalHours(c.schedule.cron);
      const success = c.schedule.lastSuccessfulTime ? Date.parse(c.schedule.lastSuccessfulTime) : undefined;
      const age = success === undefined ? undefined : (now - success) / 3_600_000;
      const limit = interval === undefined ? undefined : interval + 1;
      const value = c.schedule.suspended ? 'suspended'
        : age === undefined ? `never succeeded${c.schedule.lastScheduleTime ? ` (last scheduled ${c.schedule.lastScheduleTime})` : ''}`
          : `last succeeded ${formatHours(age)} ago (${c.schedule.lastSuccessfulTime}), schedule "${c.schedule.cron}"`;
      return this.#m(`archiving CronJob ${describe(c)}`, value, limit === undefined ? `a schedule this tool can read ("${c.schedule.cron}")` : `last success within ${formatHours(limit)} (its interval + 1 h)`,
        !c.schedule.suspended && age !== undefined && limit !== undefined && age <= limit && c.health !== 'failed');
    });
  }

  /**
   * "Every Mojaloop container": the Mojaloop workloads the tier deploys (recognised by image and
   * component kind); operators, databases and brokers have their own check
   * (`supportingContainersHardened`), the cluster's own (CoreDNS, its ingress controller) none here.
   */
  containersHardened(): Measurement[] {
    const containers = this.#containersOf(['mojaloop']);
    const root = containers.filter(({ c }) => !runsAsNonRoot(c)).map(({ at }) => at);
    const writable = containers.filter(({ c }) => !c.readOnlyRootFilesystem).map(({ at }) => at);
    const none = containers.length === 0 ? 'no Mojaloop container found' : undefined;
    return [
      this.#m('Mojaloop containers that may run as root', none ?? list(root), 'none, of at least one', containers.length > 0 && root.length === 0),
      this.#m('Mojaloop containers with a writable root filesystem', none ?? list(writable), 'none, of at least one', containers.length > 0 && writable.length === 0),
    ];
  }

  noPrivileged(): Measurement[] {
    const containers = this.#containersOf(['mojaloop']);
    const privileged = containers.filter(({ c }) => c.privileged).map(({ at }) => at);
    return [this.#m('privileged Mojaloop containers', containers.length === 0 ? 'no Mojaloop container found' : list(privileged), 'none, of at least one', containers.length > 0 && privileged.length === 0)];
  }

  /**
   * The operators, databases and brokers the deployment runs on, named by role: not privileged,
   * not root. A read-only root filesystem is not asked of them (a database writes where its image
   * says). None in the inventory (a managed database outside the cluster) is nothing to judge.
   */
  supportingContainersHardened(): Measurement[] | NotEvaluated {
    const containers = this.#containersOf(['operator', 'database', 'broker']);
    if (containers.length === 0) {
      const roles = workloadRoles(this.#inventory, this.#kinds);
      const workloads = this.#inventory.components.filter((c) => ['operator', 'database', 'broker'].includes(roles.get(c) ?? 'other'));
      return { notEvaluated: workloads.length > 0
        ? `the inventory (${this.#inventory.source}) holds no container security settings for ${list(workloads.map((c) => `${roles.get(c)} ${describe(c)}`))}`
        : `no operator, database or broker workload in the inventory (${this.#inventory.source}): nothing of the kind runs in the cluster to harden` };
    }
    const found = containers.map(({ role, at }) => `${role} ${at}`);
    const privileged = containers.filter(({ c }) => c.privileged).map(({ role, at }) => `${role} ${at}`);
    const root = containers.filter(({ c }) => !runsAsNonRoot(c)).map(({ role, at }) => `${role} ${at}`);
    return [
      this.#m('operator, database and broker containers checked', `${containers.length}: ${list(found)}`, 'recorded', true),
      this.#m('privileged operator, database or broker containers', list(privileged), 'none', privileged.length === 0),
      this.#m('operator, database or broker containers that may run as root', list(root), 'none', root.length === 0),
    ];
  }

  /** Namespaces that run a Mojaloop image, each with at least one NetworkPolicy. */
  networkPoliciesCover(): Measurement[] {
    const mojaloop = this.#inventory.components.filter((c) => c.images.some(isMojaloopImage));
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

  /**
   * The ports the deployment faces the outside with at the hub's address: what compose publishes
   * to the host, and the ports of LoadBalancer services (an ingress's 80 and 443). Plaintext must
   * be refused on each (IAC-SEC-01); NodePorts are on the nodes' addresses, not the hub's.
   */
  exposedPorts(): number[] {
    const published = this.#inventory.components.flatMap((c) => c.ports?.flatMap((p) => (p.host !== undefined ? [p.host] : [])) ?? c.publishedPorts ?? []);
    const balanced = (this.#inventory.services ?? []).filter((s) => s.type === 'LoadBalancer').flatMap((s) => s.ports);
    return [...new Set([...published, ...balanced])].sort((a, b) => a - b);
  }

  usageAtMost(maxMemoryGiB: number, maxCpuCores: number): Measurement[] | NotEvaluated {
    const usage = this.#inventory.usage;
    // A figure nobody measured says nothing about the deployment: not a failure, no evidence at all.
    if (!usage) return { notEvaluated: `resource usage at rest is not in the inventory (${this.#inventory.source}): this environment does not measure it` };
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

  /** The containers of the workloads in `roles`, each with where it is and its role. */
  #containersOf(roles: readonly WorkloadRole[]) {
    const roleOf = workloadRoles(this.#inventory, this.#kinds);
    return this.#inventory.components.flatMap((component) => {
      const role = roleOf.get(component) ?? 'other';
      if (!roles.includes(role)) return [];
      return (component.containers ?? []).map((c) => ({ c, component, role, at: `${describe(component)}/${c.name}` }));
    });
  }

  /** NOT EVALUATED when the environment could not read this kind of object (a narrower role): an empty list would prove nothing. */
  #unreadable(what: string, why?: string): NotEvaluated | undefined {
    const reason = this.#inventory.unreadable?.[what];
    return reason ? { notEvaluated: `the ${what} of the cluster could not be read (${reason})${why ? `; ${why}` : ''}: grant the run get and list on them (docs/kubernetes.md)` } : undefined;
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

function isMojaloop(component: DeployedComponent): boolean {
  return component.images.some(isMojaloopImage);
}

function runsAsNonRoot(container: NonNullable<DeployedComponent['containers']>[number]): boolean {
  return container.runAsNonRoot === true || (container.runAsUser ?? 0) > 0;
}

function distributionLabels(labels: Record<string, string>): string {
  const telling = Object.entries(labels).filter(([k]) => k.startsWith('microk8s.io/') || k.startsWith('k3s.io/') || k === 'node.kubernetes.io/instance-type' || k.startsWith('eks.amazonaws.com/'));
  return telling.length > 0 ? `; ${telling.map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
}

function formatHours(hours: number): string {
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} days`;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}

/** Go durations as Velero writes them: "720h0m0s", "24h", "90m". */
function parseGoDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (parts.length === 0) return undefined;
  return parts.reduce((hours, [, n, unit]) => hours + Number(n) / (unit === 'h' ? 1 : unit === 'm' ? 60 : 3600), 0);
}

/**
 * How often a cron schedule fires, in hours, roughly: weekly when it names days of the week,
 * monthly when it names days of the month, else by its hours (and minutes). Undefined when unreadable.
 */
export function cronIntervalHours(cron: string): number | undefined {
  const macros: Record<string, number> = { '@hourly': 1, '@daily': 24, '@midnight': 24, '@weekly': 168, '@monthly': 744, '@yearly': 8784, '@annually': 8784 };
  if (macros[cron.trim()] !== undefined) return macros[cron.trim()];
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, , dayOfWeek] = fields as [string, string, string, string, string];
  const count = (field: string) => field.split(',').length;
  if (dayOfWeek !== '*') return 168 / count(dayOfWeek);
  if (dayOfMonth !== '*') return 744 / count(dayOfMonth);
  if (hour === '*') return minute === '*' ? 1 / 60 : minute.startsWith('*/') ? Number(minute.slice(2)) / 60 : 1 / count(minute);
  if (hour.startsWith('*/')) return Number(hour.slice(2));
  return 24 / count(hour);
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
