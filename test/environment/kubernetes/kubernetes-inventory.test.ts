import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesInventory } from '../../../src/environment/kubernetes/kubernetes-inventory.ts';
import { InventoryProbe } from '../../../src/probes/inventory-probe.ts';
import { FakeKubeApi, kubeconfigFor, testCertificateAuthority } from '../../helpers/fake-kube-api.ts';

/** The real @kubernetes/client-node against the fake API server serving a fixture cluster. */
async function reader(fake: FakeKubeApi, options: { namespaces?: string[]; pageSize?: number; token?: string } = {}) {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigFor(fake.url, { token: options.token ?? 'reader-token', certificateAuthority: await testCertificateAuthority() }));
  return new KubernetesInventory(kc, {
    requestTimeoutMs: 3000, cluster: { server: fake.url, context: 'fake', requestTimeoutMs: 3000 },
    ...(options.namespaces ? { namespaces: options.namespaces } : {}), ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
}

describe('KubernetesInventory on a mini-loop cluster (k3s, ingress-nginx, releases be and ml)', () => {
  let fake: FakeKubeApi;
  before(async () => { fake = await (await FakeKubeApi.fromFixture('miniloop-k3s', { token: 'reader-token' })).start(); });
  after(() => fake.stop());

  it('reads nodes, workloads, Helm releases, ingresses and the Kafka settings the chart configured', async () => {
    const inventory = await (await reader(fake)).read();
    assert.equal(inventory.orchestrator, 'kubernetes');
    assert.equal(inventory.source, `Kubernetes API ${fake.url} (context fake)`);
    assert.deepEqual(inventory.nodes.map((n) => [n.name, n.kubeletVersion, n.capacity?.cpuCores]), [['miniloop', 'v1.27.16+k3s1', 4]]);
    const ledger = inventory.components.find((c) => c.name === 'centralledger')!;
    assert.deepEqual([ledger.kind, ledger.namespace, ledger.images, ledger.health, ledger.replicas], ['deployment', 'default', ['mojaloop/central-ledger:v19.4.1'], 'healthy', { desired: 1, ready: 1 }]);
    assert.deepEqual(ledger.containers, [{ name: 'centralledger', runAsUser: 1001, readOnlyRootFilesystem: true }]);
    const controller = inventory.components.find((c) => c.name === 'ingress-nginx-controller')!;
    assert.deepEqual(controller.publishedPorts, [31080, 80, 31443, 443], 'NodePorts and LoadBalancer ports of the service selecting it');
    const test = inventory.components.find((c) => c.name === 'ml-ttk-test-val-gp')!;
    assert.deepEqual([test.kind, test.health, test.exitCode, test.annotations?.['helm.sh/hook']], ['job', 'completed', 0, 'test']);
    assert.deepEqual(inventory.helmReleases.map((r) => [r.namespace, r.name, r.status]), [['default', 'be', 'deployed'], ['default', 'ml', 'deployed']]);
    assert.deepEqual(inventory.resources.filter((r) => r.kind === 'IngressClass').map((r) => r.name), ['nginx']);
    assert.equal(inventory.resources.filter((r) => r.kind === 'Ingress').length, 6);
    assert.equal(inventory.settings['kafka.replicationFactor'], 1);
    assert.equal(inventory.settingSources?.['kafka.replicationFactor'], 'ConfigMap default/kafka-controller-configuration (server.properties)');
    assert.equal(inventory.components.some((c) => c.kind === 'pod'), false, 'pods of a controller are its workload\'s');
  });

  it('asks for Helm release Secrets as metadata only, and nothing of their data reaches the inventory', async () => {
    const before = fake.requests.length;
    const inventory = await (await reader(fake)).read();
    const secrets = fake.requests.slice(before).filter((r) => r.path.endsWith('/secrets'));
    assert.equal(secrets.length, 1);
    assert.match(secrets[0]!.accept, /^application\/json;as=PartialObjectMetadataList;v=v1;g=meta\.k8s\.io/);
    assert.equal(secrets[0]!.query.labelSelector, 'owner=helm');
    const encoded = fake.snapshot.objects.find((o) => o.kind === 'Secret')!.data as Record<string, string>;
    assert.ok(!JSON.stringify(inventory).includes(encoded.release!.slice(0, 16)));
  });

  it('follows continue tokens: pages of 2 give the same inventory as one page', async () => {
    const whole = await (await reader(fake)).read();
    const before = fake.requests.length;
    const paged = await (await reader(fake, { pageSize: 2 })).read();
    const continued = fake.requests.slice(before).filter((r) => r.query.continue);
    assert.ok(continued.length >= 10, `${continued.length} continued LISTs`);
    assert.deepEqual({ ...paged, readAt: '' }, { ...whole, readAt: '' });
  });

  it('reads only the namespaces it is given (cluster-scoped nodes all the same)', async () => {
    const before = fake.requests.length;
    const inventory = await (await reader(fake, { namespaces: ['ingress-nginx'] })).read();
    assert.deepEqual(inventory.components.map((c) => c.name), ['ingress-nginx-controller']);
    assert.equal(inventory.nodes.length, 1);
    assert.match(inventory.source, /namespaces ingress-nginx\)$/);
    const namespaced = fake.requests.slice(before).filter((r) => /\/(pods|deployments|secrets)$/.test(r.path));
    assert.ok(namespaced.every((r) => r.path.includes('/namespaces/ingress-nginx/')), namespaced.map((r) => r.path).join(', '));
  });

  it('notes what a narrower role may not read, and the checks on it are NOT EVALUATED rather than judged on nothing', async () => {
    fake.forbidden = ['nodes', 'secrets'];
    try {
      const inventory = await (await reader(fake)).read();
      assert.match(inventory.unreadable?.nodes ?? '', /^403 Forbidden: nodes is forbidden: User "system:serviceaccount:default:conformance" cannot list resource "nodes"/);
      const probe = new InventoryProbe(inventory);
      const nodes = probe.nodeCount({ atLeast: 1, atMost: 1 });
      assert.ok(!Array.isArray(nodes) && /the nodes of the cluster could not be read \(403 Forbidden/.test(nodes.notEvaluated), JSON.stringify(nodes));
      const releases = probe.helmReleasesDeployed(['ml']);
      assert.ok(!Array.isArray(releases) && /Helm keeps its releases in Secrets/.test(releases.notEvaluated));
    } finally {
      fake.forbidden = [];
    }
  });
});

describe('KubernetesInventory on an iac-modules environment (custom resources that mark stacks)', () => {
  let fake: FakeKubeApi;
  before(async () => { fake = await (await FakeKubeApi.fromFixture('iac-eks')).start(); });
  after(() => fake.stop());

  it('reads Argo CD Applications with their destinations, Strimzi\'s Kafka settings and Percona\'s backup schedule', async () => {
    const inventory = await (await reader(fake)).read();
    const apps = inventory.resources.filter((r) => r.kind === 'Application');
    assert.deepEqual(apps.map((a) => [a.name, a.status, a.details?.destination]), [
      ['mojaloop-dev', 'Synced/Healthy', 'https://dev.k8s.example mojaloop'],
      ['mojaloop-test', 'Synced/Healthy', 'https://test.k8s.example mojaloop'],
      ['monitoring', 'OutOfSync/Healthy', 'https://kubernetes.default.svc monitoring'],
    ]);
    assert.equal(inventory.settings['kafka.replicationFactor'], 3);
    assert.equal(inventory.settingSources?.['kafka.replicationFactor'], 'Kafka stateful-resources/kafka (spec.kafka.config)');
    assert.deepEqual(inventory.resources.find((r) => r.kind === 'PerconaXtraDBCluster')?.details, { 'backup weekly-backup': '0 0 * * 6 keep 3' });
    assert.equal(inventory.nodes[0]!.providerId, 'aws:///eu-west-1a/i-01');
    const probe = new InventoryProbe(inventory);
    assert.ok((probe.hubEnvironmentsManaged(2)).every((m) => m.ok));
    const retention = probe.ledgerRetentionAtLeast(7 * 86_400_000);
    assert.ok(Array.isArray(retention) && retention[0]!.ok && retention[0]!.value === '21 days (keeps 3 backups taken "0 0 * * 6" (every 7 days))', JSON.stringify(retention));
  });
});
