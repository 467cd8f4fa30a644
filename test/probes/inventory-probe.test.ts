import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Measurement } from '../../src/evidence/evidence.ts';
import type { Finding } from '../../src/evidence/finding.ts';
import type { DeploymentInventory } from '../../src/inventory/deployment-inventory.ts';
import { InventoryProbe } from '../../src/probes/inventory-probe.ts';
import { ROOT } from '../helpers/cli.ts';

const fixture = async (name: string) =>
  JSON.parse(await readFile(join(ROOT, 'fixtures', 'inventories', name), 'utf8')) as DeploymentInventory;
/** The measurements of a finding that must have measured something. */
const measured = (finding: Finding): Measurement[] => {
  assert.ok(Array.isArray(finding), `expected measurements, got ${JSON.stringify(finding)}`);
  return finding;
};
/** Every measurement passed — and there was one: a probe that measured nothing must not pass this check. */
const allOk = (finding: Finding) => {
  const measurements = measured(finding);
  return measurements.length > 0 && measurements.every((m) => m.ok);
};

describe('InventoryProbe on a Core Test Harness compose inventory', async () => {
  const inventory = await fixture('core-test-harness.compose.json');
  const probe = new InventoryProbe(inventory);

  it('passes the deployment guarantees the harness really meets', () => {
    assert.ok(allOk(probe.nodeCount({ atLeast: 1, atMost: 1 })));
    assert.ok(allOk(probe.orchestratedByCompose()));
    assert.ok(allOk(probe.configurableProfiles()));
    assert.ok(allOk(probe.noHelm()));
    for (const kind of ['gateway', 'ingress', 'egress', 'IAM'] as const) assert.ok(allOk(probe.noneOfKind(kind)), kind);
    assert.ok(allOk(probe.servicesHealthy(['central-ledger', 'ml-api-adapter', 'mysql', 'kafka'])));
    assert.ok(allOk(probe.jobSucceeded('ttk-tests')));
    assert.ok(allOk(probe.usageAtMost(8, 2)));
  });

  it('accepts absent optional services but not absent required ones', () => {
    const [optional] = measured(probe.servicesHealthy(['grafana'], true));
    assert.equal(optional!.ok, true);
    assert.equal(optional!.value, 'not deployed (optional)');
    const [required] = measured(probe.servicesHealthy(['grafana']));
    assert.equal(required!.ok, false);
  });

  it('fails an unhealthy service and says its state', () => {
    const sick: DeploymentInventory = { ...inventory, components: inventory.components.map((c) => (c.name === 'kafka' ? { ...c, health: 'unhealthy' } : c)) };
    const [kafka] = measured(new InventoryProbe(sick).servicesHealthy(['kafka']));
    assert.equal(kafka!.ok, false);
    assert.equal(kafka!.value, 'unhealthy');
    assert.match(kafka!.source, /docker compose project ml-core-test-harness/);
  });

  it('neither passes nor fails a running service whose health nobody can see (no health check), unless another fails', () => {
    const blind: DeploymentInventory = { ...inventory, components: inventory.components.map((c) => (c.name === 'redis' ? { ...c, health: 'unknown' } : c)) };
    const finding = new InventoryProbe(blind).servicesHealthy(['mysql', 'redis']);
    assert.ok(!Array.isArray(finding) && 'notEvaluated' in finding);
    assert.match(finding.notEvaluated, /^redis runs with no health check declared, so its health is not observable/);
    const sick: DeploymentInventory = { ...blind, components: blind.components.map((c) => (c.name === 'mysql' ? { ...c, health: 'unhealthy' } : c)) };
    assert.deepEqual(measured(new InventoryProbe(sick).servicesHealthy(['mysql', 'redis'])).map((m) => m.ok), [false, true]);
  });

  it('lists the published ports, but does not call them reachable when nobody tried them', () => {
    const finding = probe.publishedPortsDocumentedAndReachable();
    assert.ok(!Array.isArray(finding) && 'notEvaluated' in finding);
    assert.match(finding.notEvaluated, /9440→9440 \(mojaloop-testing-toolkit\), 9550→9550 \(mojaloop-testing-toolkit\)/);
  });

  it('passes published ports that are declared and reachable, and fails one the definition does not declare', () => {
    const withPorts = (declared: boolean): DeploymentInventory => ({ ...inventory, components: inventory.components.map((c) => (c.name === 'mojaloop-testing-toolkit'
      ? { ...c, ports: [{ host: 9440, container: 4040, declared: true, reachable: true }, { host: 9550, container: 5050, declared, reachable: true }] } : c)) });
    assert.ok(allOk(new InventoryProbe(withPorts(true)).publishedPortsDocumentedAndReachable()));
    const [, undocumented] = measured(new InventoryProbe(withPorts(false)).publishedPortsDocumentedAndReachable());
    assert.equal(undocumented!.ok, false);
    assert.equal(undocumented!.value, '9550→5050 (mojaloop-testing-toolkit)');
  });

  it('fails a memory bound the deployment exceeds', () => {
    const [memory] = measured(probe.usageAtMost(4, 2));
    assert.equal(memory!.ok, false);
    assert.equal(memory!.value, '6.20 GiB');
  });
});

describe('InventoryProbe on a mini-loop cluster (k3s, as its installer defaults)', async () => {
  const probe = new InventoryProbe(await fixture('miniloop-k3s.json'));

  it('reports the ingress controller the seed says Miniloop does not have, with evidence', () => {
    const [ingress] = probe.noneOfKind('ingress');
    assert.equal(ingress!.ok, false);
    assert.match(String(ingress!.value), /ingress-nginx-controller \(image registry\.k8s\.io\/ingress-nginx\/controller:v1\.9\.4\)/);
    assert.match(String(ingress!.value), /Ingress default\/ml-api-adapter/);
  });

  it('detects k3s, with the kubelet version that shows it, and reports it as a mismatch where the seed says MicroK8s', () => {
    const [distribution] = measured(probe.distributionIn(['microk8s', 'k3s']));
    assert.match(String(distribution!.value), /^k3s \(node miniloop: kubelet v1\.27\.16\+k3s1\)$/);
    assert.equal(distribution!.ok, true);
    const [mismatch] = measured(probe.distributionIn(['microk8s']));
    assert.equal(mismatch!.ok, false);
    assert.equal(mismatch!.threshold, 'one of microk8s');
  });

  it('finds the Helm releases and their passing test job', () => {
    assert.ok(allOk(probe.helmReleasesDeployed(['be', 'ml'])));
    assert.ok(allOk(probe.helmTestJobsSucceeded('ml')));
    assert.equal(measured(probe.helmReleasesDeployed(['thirdparty']))[0]!.ok, false);
  });

  it('fails the data guarantees the backend chart defaults cannot meet', () => {
    const [replication] = probe.kafkaReplicationAtLeast(3);
    assert.equal(replication!.ok, false);
    assert.equal(replication!.value, '1');
    assert.equal(probe.replicasAtLeast(['mysqldb'], 2)[0]!.ok, false);
    assert.equal(probe.persistentVolumes(['kafka'])[0]!.value, 'none (data lives in the container)');
    assert.equal(probe.backupSchedule()[0]!.ok, false);
    assert.equal(probe.archivingJob()[0]!.ok, false);
    assert.equal(probe.networkPoliciesCover()[0]!.ok, false);
  });

  it('recognises backup schedules and archiving jobs by kind, not by any name that mentions them', async () => {
    const base = await fixture('miniloop-k3s.json');
    const withBackups: DeploymentInventory = {
      ...base,
      resources: [...base.resources, { kind: 'ConfigMap', name: 'backup-disabled' }, { kind: 'Schedule', name: 'daily-mysql', namespace: 'velero' }],
      components: [...base.components, {
        name: 'ledger-archiver', kind: 'cronjob', images: ['mojaloop/archiver'], labels: {}, health: 'healthy',
        schedule: { cron: '0 2 * * *', lastScheduleTime: '2026-12-01T02:00:00.000Z', lastSuccessfulTime: '2026-12-01T02:05:00.000Z' },
      }],
      readAt: '2026-12-01T12:00:00.000Z',
    };
    const enriched = new InventoryProbe(withBackups);
    assert.equal(enriched.backupSchedule()[0]!.value, 'Schedule daily-mysql');
    const [archiving] = enriched.archivingJob();
    assert.equal(archiving!.ok, true);
    assert.match(String(archiving!.value), /^last succeeded 9\.9 h ago/);
    const onlyConfigMap = new InventoryProbe({ ...base, resources: [{ kind: 'ConfigMap', name: 'backup-disabled' }] });
    assert.equal(onlyConfigMap.backupSchedule()[0]!.ok, false);
  });

  it('sees the hardening the Mojaloop charts ship (uid 1001, read-only root filesystem)', () => {
    assert.ok(allOk(probe.containersHardened()));
    assert.ok(allOk(probe.noPrivileged()));
  });
});

describe('InventoryProbe on an iac-modules environment on EKS', async () => {
  const probe = new InventoryProbe(await fixture('iac-eks.json'));

  it('recognises the platform, the distribution and the node count', () => {
    assert.deepEqual(measured(probe.platformIn(['aws', 'on-premises'])).map((m) => [m.value, m.ok]), [['aws', true]]);
    assert.deepEqual(measured(probe.distributionIn(['eks', 'microk8s'])).map((m) => [String(m.value).split(' ')[0], m.ok]), [['eks', true]]);
    assert.ok(allOk(probe.nodeCount({ atLeast: 3 })));
    assert.equal(measured(probe.nodeCount({ atMost: 1 }))[0]!.ok, false);
  });

  it('finds each stack the seed names and fails the one that is unhealthy', () => {
    for (const kind of ['control-centre', 'IAM', 'portals', 'PM4ML'] as const) assert.ok(allOk(probe.kindDeployedAndHealthy(kind)), kind);
    const [found, unhealthy] = measured(probe.kindDeployedAndHealthy('monitoring'));
    assert.equal(found!.ok, true);
    assert.equal(unhealthy!.ok, false);
    assert.match(String(unhealthy!.value), /deployment monitoring\/grafana is unhealthy/);
  });

  it('fails GitOps when an application is out of sync, naming it', () => {
    const [count, notSynced] = probe.gitOpsApplicationsSynced();
    assert.equal(count!.value, 2);
    assert.equal(notSynced!.ok, false);
    assert.equal(notSynced!.value, 'monitoring OutOfSync/Healthy');
  });

  it('passes replication, persistence, backups and retention where the environment has them', () => {
    assert.ok(allOk(probe.kafkaReplicationAtLeast(3)));
    assert.ok(allOk(probe.kafkaRetentionAtLeast(168 * 3_600_000)));
    assert.ok(allOk(probe.replicasAtLeast(['mysqldb'], 3)));
    assert.ok(allOk(probe.persistentVolumes(['kafka', 'mysqldb'])));
    assert.ok(allOk(probe.backupSchedule()));
  });

  it('needs two hub environments under the control centre: one Mojaloop application is one environment, however healthy', () => {
    const [environments, healthy] = probe.hubEnvironmentsManaged(2);
    assert.equal(environments!.ok, false);
    assert.match(String(environments!.value), /^1: Application argocd\/mojaloop → destination unknown \(Synced\/Healthy\)$/);
    assert.equal(healthy!.ok, false);
  });

  it('leaves what the inventory holds no figure for NOT EVALUATED, never FAIL: usage at rest, node capacity, retention without evidence', () => {
    const usage = probe.usageAtMost(8, 2);
    assert.ok(!Array.isArray(usage) && /resource usage at rest is not in the inventory/.test(usage.notEvaluated));
    const capacity = probe.capacityAtLeast(32, 8);
    assert.ok(!Array.isArray(capacity) && /capacity of node\(s\) ip-10-0-1-10/.test(capacity.notEvaluated), JSON.stringify(capacity));
  });

  it('judges the resource requirement as a minimum: a bigger cluster meets it', async () => {
    const inventory = await fixture('iac-eks.json');
    const big = new InventoryProbe({ ...inventory, nodes: Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, labels: {}, capacity: { cpuCores: 8, memoryBytes: 32 * 1024 ** 3 } })) });
    assert.ok(allOk(big.capacityAtLeast(32, 8)));
    const small = new InventoryProbe({ ...inventory, nodes: [{ name: 'laptop', labels: {}, capacity: { cpuCores: 4, memoryBytes: 16 * 1024 ** 3 } }] });
    assert.deepEqual(measured(small.capacityAtLeast(32, 8)).map((m) => [m.value, m.ok]), [['16.0 GiB on 1 node(s)', false], ['4 on 1 node(s)', false]]);
  });

  it('lists the Mojaloop namespaces no network policy covers, ignoring platform namespaces', async () => {
    const [bare] = probe.networkPoliciesCover();
    assert.equal(bare!.ok, false);
    assert.equal(bare!.value, 'pm4ml', 'argocd, keycloak, monitoring run no Mojaloop image; mojaloop has its policy');
    const inventory = await fixture('iac-eks.json');
    inventory.resources.push({ kind: 'NetworkPolicy', name: 'default-deny', namespace: 'pm4ml' });
    assert.equal(new InventoryProbe(inventory).networkPoliciesCover()[0]!.ok, true);
  });

  it('fails "every component managed by Helm" for a component without Helm labels, naming it', async () => {
    assert.ok(allOk(probe.helmManaged()));
    const inventory = await fixture('iac-eks.json');
    inventory.components.push({ name: 'hand-made', kind: 'deployment', namespace: 'mojaloop', images: ['mojaloop/central-ledger:v19.4.1'], labels: {}, health: 'healthy' });
    const [unmanaged] = new InventoryProbe(inventory).helmManaged();
    assert.equal(unmanaged!.ok, false);
    assert.equal(unmanaged!.value, 'deployment mojaloop/hand-made');
  });
});

describe('InventoryProbe refuses to prove things from too little', () => {
  const empty: DeploymentInventory = { source: 'fixture: empty', orchestrator: 'kubernetes', nodes: [], components: [], helmReleases: [], resources: [], settings: {} };

  it('fails absence checks on an empty inventory instead of passing them', () => {
    const probe = new InventoryProbe(empty);
    for (const measurements of [probe.noneOfKind('gateway'), probe.noHelm(), probe.orchestratedByCompose(), probe.networkPoliciesCover(), probe.servicesHealthy(['grafana'], true)]) {
      assert.equal(allOk(measurements), false);
      assert.equal(measured(measurements)[0]!.threshold, 'at least one (an empty inventory proves no absence)');
    }
  });

  it('does not count a custom resource as a deployed stack', () => {
    const probe = new InventoryProbe({ ...empty, resources: [{ kind: 'Application', name: 'orphan-app', namespace: 'argocd' }, { kind: 'KeycloakRealmImport', name: 'realm' }] });
    assert.equal(measured(probe.kindDeployedAndHealthy('control-centre'))[0]!.ok, false);
    assert.equal(measured(probe.kindDeployedAndHealthy('IAM'))[0]!.ok, false);
  });

  it('does not guess a platform it does not recognise', () => {
    assert.equal(measured(new InventoryProbe(empty).platformIn(['on-premises']))[0]!.value, 'unknown (no nodes)');
    const digitalOcean = new InventoryProbe({ ...empty, nodes: [{ name: 'n', labels: {}, providerId: 'digitalocean://123' }] });
    assert.deepEqual(measured(digitalOcean.platformIn(['aws', 'on-premises'])).map((m) => [m.value, m.ok]), [['unknown (provider id digitalocean:)', false]]);
  });
});

describe('InventoryProbe hardening: Mojaloop workloads apart from operators, databases and brokers', () => {
  type Container = NonNullable<DeploymentInventory['components'][number]['containers']>[number];
  const workload = (name: string, image: string, container: Partial<Container>, namespace = 'mojaloop') => ({
    name, kind: 'deployment' as const, namespace, images: [image], labels: {}, health: 'healthy' as const, containers: [{ name, ...container }],
  });
  const hardened = { runAsUser: 1001, readOnlyRootFilesystem: true };
  const inventory = (components: DeploymentInventory['components']): DeploymentInventory =>
    ({ source: 'Kubernetes API (test)', orchestrator: 'kubernetes', nodes: [], components, helmReleases: [], resources: [], settings: {} });

  const cluster = inventory([
    workload('central-ledger', 'mojaloop/central-ledger:v19.4.1', hardened),
    workload('ml-api-adapter', 'mojaloop/ml-api-adapter:v14', hardened),
    workload('mysql', 'bitnami/mysql:8.0', { runAsUser: 1001 }),
    workload('kafka', 'bitnami/kafka:3.5', { runAsUser: 1001 }),
    workload('strimzi-cluster-operator', 'quay.io/strimzi/operator:0.38', { runAsNonRoot: true }, 'kafka'),
    // The cluster's own: not the tier's to harden, and not a reason to fail it.
    workload('kube-proxy', 'registry.k8s.io/kube-proxy:v1.29', { privileged: true }, 'kube-system'),
    workload('coredns', 'registry.k8s.io/coredns:v1.11', {}, 'kube-system'),
  ]);

  it('judges only the Mojaloop workloads for root, writable root filesystems and privilege', () => {
    const probe = new InventoryProbe(cluster);
    assert.ok(allOk(probe.containersHardened()));
    assert.ok(allOk(probe.noPrivileged()), 'kube-proxy is privileged, but it is the cluster\'s, not Mojaloop\'s');
  });

  it('names the operator, database and broker it checked, and passes them unprivileged and non-root', () => {
    const [checked, ...rest] = measured(new InventoryProbe(cluster).supportingContainersHardened());
    assert.equal(checked!.value, '3: database deployment mojaloop/mysql/mysql, broker deployment mojaloop/kafka/kafka, operator deployment kafka/strimzi-cluster-operator/strimzi-cluster-operator');
    assert.ok(rest.every((m) => m.ok));
  });

  it('fails a privileged database or a root operator, by role, without failing the Mojaloop check for it', () => {
    const lax = inventory([
      workload('central-ledger', 'mojaloop/central-ledger:v19.4.1', hardened),
      workload('mysql', 'mysql:8.0', { privileged: true, runAsUser: 0 }),
      workload('mongodb-operator', 'percona/percona-server-mongodb-operator:1.15', {}),
    ]);
    const probe = new InventoryProbe(lax);
    assert.ok(allOk(probe.containersHardened()) && allOk(probe.noPrivileged()));
    const failed = measured(probe.supportingContainersHardened()).filter((m) => !m.ok).map((m) => `${m.name}: ${m.value}`);
    assert.deepEqual(failed, [
      'privileged operator, database or broker containers: database deployment mojaloop/mysql/mysql',
      'operator, database or broker containers that may run as root: database deployment mojaloop/mysql/mysql, operator deployment mojaloop/mongodb-operator/mongodb-operator',
    ]);
  });

  it('fails a root Mojaloop container, and finds nothing to judge where no Mojaloop or supporting workload runs', () => {
    const probe = new InventoryProbe(inventory([workload('quoting-service', 'mojaloop/quoting-service:v15', { readOnlyRootFilesystem: true })]));
    assert.deepEqual(measured(probe.containersHardened()).map((m) => [m.value, m.ok]), [['deployment mojaloop/quoting-service/quoting-service', false], ['none', true]]);
    const empty = new InventoryProbe(inventory([workload('coredns', 'registry.k8s.io/coredns:v1.11', {}, 'kube-system')]));
    assert.equal(measured(empty.noPrivileged())[0]!.value, 'no Mojaloop container found');
    assert.equal(measured(empty.noPrivileged())[0]!.ok, false);
    const finding = empty.supportingContainersHardened();
    assert.ok(!Array.isArray(finding) && /no operator, database or broker workload in the inventory/.test(finding.notEvaluated));
    const unread = new InventoryProbe(inventory([{ name: 'mysql', kind: 'statefulset', namespace: 'db', images: ['mysql:8.0'], labels: {}, health: 'healthy' }])).supportingContainersHardened();
    assert.ok(!Array.isArray(unread) && /holds no container security settings for database statefulset db\/mysql$/.test(unread.notEvaluated), JSON.stringify(unread));
  });
});

describe('InventoryProbe.exposedPorts', () => {
  it('lists what compose publishes and what LoadBalancer services expose, not NodePorts', () => {
    const probe = new InventoryProbe({
      source: 'test', orchestrator: 'kubernetes', nodes: [], helmReleases: [], resources: [], settings: {},
      components: [
        { name: 'hub', kind: 'container', images: [], labels: {}, health: 'healthy', ports: [{ host: 3001, container: 3001 }, { container: 9000 }] },
        { name: 'old', kind: 'container', images: [], labels: {}, health: 'healthy', publishedPorts: [8080] },
      ],
      services: [
        { name: 'ingress-nginx', type: 'LoadBalancer', ports: [80, 443], nodePorts: [30080, 30443] },
        { name: 'ml-api-adapter', type: 'NodePort', ports: [3000], nodePorts: [31000] },
      ],
    });
    assert.deepEqual(probe.exposedPorts(), [80, 443, 3001, 8080]);
  });
});
