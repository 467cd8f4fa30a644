import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, EnvironmentUnavailableError } from '../../../src/config/errors.ts';
import { validateConfig, validateConfigFor } from '../../../src/config/load-config.ts';
import { createEnvironment } from '../../../src/environment/create-environment.ts';
import { providerOf } from '../../../src/environment/capability-providers.ts';
import { KubernetesEnvironment } from '../../../src/environment/kubernetes/kubernetes-environment.ts';
import { FakeKubeApi, kubeconfigFor, testCertificateAuthority } from '../../helpers/fake-kube-api.ts';
import { ROOT } from '../../helpers/cli.ts';
import { closeServer, freePort, listen } from '../../helpers/servers.ts';

// Credentials a kubeconfig carries: none of them may appear in any message, description or inventory.
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2VuLW5ldmVyLXByaW50ZWQ';
// A real key (the test-only one of fixtures/tls), so the client loads it as it would a user's.
const KEY_PEM = await readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.key'), 'utf8');
const CERT_PEM = await readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.crt'), 'utf8');
const CLIENT_KEY = Buffer.from(KEY_PEM).toString('base64');
const KEY_BODY = KEY_PEM.split('\n')[1]!;
const secretsIn = (text: string) => [TOKEN, CLIENT_KEY.slice(0, 40), KEY_BODY, 'c2VjcmV0LXRva2Vu'].filter((s) => text.includes(s));

async function kubeconfig(server: string, options: { token?: string; context?: string } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-env-'));
  const file = join(dir, 'config');
  const text = kubeconfigFor(server, { token: options.token ?? TOKEN, clientKeyData: CLIENT_KEY, certificateAuthority: await testCertificateAuthority(), ...(options.context ? { context: options.context } : {}) });
  // A user with a client certificate and key besides the token, as cloud kubeconfigs often have.
  await writeFile(file, text.replace('"client-key-data"', `"client-certificate-data": "${Buffer.from(CERT_PEM).toString('base64')}",\n        "client-key-data"`));
  return file;
}

// The longest request budget the target allows: a busy machine (suites in parallel) must not turn a slow fake into a timeout.
// The test of the budget itself sets its own.
const config = (file: string, extra: Record<string, unknown> = {}) => validateConfigFor('kubernetes', { kubernetes: { kubeconfig: file }, timeouts: { requestMs: 10_000 }, ...extra });

async function startFailure(environment: KubernetesEnvironment): Promise<Error> {
  const failure = await environment.start().then(() => undefined, (error: Error) => error);
  assert.ok(failure, 'start() failed');
  return failure;
}

describe('KubernetesEnvironment attached to a cluster', () => {
  let fake: FakeKubeApi;
  before(async () => { fake = await (await FakeKubeApi.fromFixture('miniloop-k3s', { token: TOKEN })).start(); });
  after(() => fake.stop());

  it('is what createEnvironment builds for target kubernetes; reads the inventory at start and describes the cluster without its credentials', async () => {
    const environment = createEnvironment(config(await kubeconfig(fake.url)));
    assert.ok(environment instanceof KubernetesEnvironment);
    const started = await environment.start();
    try {
      assert.deepEqual(Object.keys(started.provides), ['kubernetes-inventory']);
      const inventory = await providerOf(started, 'kubernetes-inventory').inventory();
      assert.equal(inventory.components.length, 14);
      const description = started.describe();
      assert.match(description.summary, new RegExp(`^Kubernetes cluster at ${fake.url} \\(context fake, v1\\.27\\.16\\+k3s1, 1 node; attached, read-only\\); no hub URL`));
      assert.deepEqual(secretsIn(JSON.stringify(description) + JSON.stringify(inventory)), []);
      // What was tested, for the result's fingerprint: the server's version, every Helm release's chart, every workload's images.
      assert.equal(description.tested?.['kubernetes server'], 'v1.27.16+k3s1');
      for (const release of inventory.helmReleases) assert.equal(description.tested?.[`helm release ${release.namespace}/${release.name}`], `${release.chart} (${release.status})`);
      assert.ok(inventory.components.every((component) => component.images.length === 0 || description.tested?.[`image ${component.namespace ? `${component.namespace}/` : ''}${component.name}`]));
      assert.equal(started.hubUrl, '');
      assert.equal(started.callbackRouteUnproven, false);
      // The cluster's own Ingress hosts are what to give: mini-loop serves the hub on *.local hosts.
      assert.match(started.whyMissing('fspiop-api'), /--hub-url http:\/\/ml-api-adapter\.local and --hub-admin-url http:\/\/central-ledger\.local, or port-forwards: --port-forward fspiop=SERVICE:3000 --port-forward admin=SERVICE:3001\)/);
      assert.match(started.whyMissing('resource-metrics'), /no usage figures/);
    } finally {
      await started.stop();
    }
  });

  it('an expired token (401): one line naming the cluster and what to do, no credentials', async () => {
    const failure = await startFailure(new KubernetesEnvironment(config(await kubeconfig(fake.url, { token: `${TOKEN}-expired` }))));
    assert.ok(failure instanceof EnvironmentUnavailableError);
    assert.equal(failure.message, `the Kubernetes API at ${fake.url} (context fake) refused our credentials (401 Unauthorized) when reading the server version: the token or client certificate of that context has expired or is wrong; log in again (e.g. refresh the cloud provider's credentials, or run \`kubectl get nodes\` to check) and rerun`);
    assert.deepEqual(secretsIn(failure.message), []);
  });

  it('RBAC forbidden (403) on the workloads: one line with the server\'s own words and the read-only grant to ask for', async () => {
    fake.forbidden = ['deployments'];
    try {
      const failure = await startFailure(new KubernetesEnvironment(config(await kubeconfig(fake.url))));
      assert.ok(failure instanceof EnvironmentUnavailableError);
      assert.match(failure.message, /^the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(context fake\) forbids reading deployments \(403 Forbidden: deployments\.apps is forbidden: User "system:serviceaccount:default:conformance" cannot list resource "deployments" in API group "apps" at the cluster scope\); grant the context's user get and list on it \(read-only, see docs\/kubernetes\.md\), or narrow the run with --namespace$/);
      assert.ok(!failure.message.includes('\n'));
    } finally {
      fake.forbidden = [];
    }
  });

  it('--context picks a context of the kubeconfig; an unknown one is refused naming those there are', async () => {
    const file = await kubeconfig(fake.url, { context: 'staging' });
    const started = await new KubernetesEnvironment(config(file, { kubernetes: { kubeconfig: file, context: 'staging' } })).start();
    assert.match(started.describe().summary, /context staging/);
    await started.stop();
    const failure = await startFailure(new KubernetesEnvironment(config(file, { kubernetes: { kubeconfig: file, context: 'prod' } })));
    assert.ok(failure instanceof ConfigError);
    assert.equal(failure.message, `--context "prod" is not in ${file}; its contexts: staging`);
  });

  it('KUBECONFIG is where the kubeconfig is found when none is given, as for kubectl', async () => {
    const file = await kubeconfig(fake.url);
    const started = await new KubernetesEnvironment(validateConfigFor('kubernetes'), { env: { KUBECONFIG: file, HOME: '/nonexistent' } }).start();
    assert.deepEqual(started.describe().notes?.[0], `kubeconfig: ${file}`);
    await started.stop();
  });

  it('with a hub URL the FSPIOP side is a url target inside: its capabilities and hub are the environment\'s', async () => {
    const hub = createHttpServer((_request, response) => response.end('{}'));
    const hubUrl = await listen(hub);
    try {
      const started = await new KubernetesEnvironment(config(await kubeconfig(fake.url), { hub: { url: hubUrl } })).start();
      // Behind a hub, the cluster's central-ledger and MySQL pods are there to fault under load.
      assert.deepEqual(Object.keys(started.provides).sort(), ['data-tier-fault-injection', 'fault-injection', 'fspiop-api', 'kubernetes-inventory']);
      assert.equal(started.hubUrl, hubUrl);
      assert.equal(started.callbackRouteUnproven, true);
      assert.equal(started.describe().endpoints.hub, hubUrl);
      await started.stop();
    } finally {
      await closeServer(hub);
    }
  });
});

describe('kubernetes target with a hub URL and its admin API', () => {
  it('provisions our test DFSPs under ids of their own, as the url target does (a shared hub may know the defaults)', () => {
    const withAdmin = validateConfig({ target: 'kubernetes', hub: { url: 'http://ml-api-adapter.local', adminUrl: 'http://central-ledger.local' } });
    assert.deepEqual([withAdmin.participants.payer.fspId, withAdmin.participants.payee.fspId, withAdmin.participants.bystander.fspId], ['conformancepayer', 'conformancepayee', 'conformanceother']);
    const inventoryOnly = validateConfigFor('kubernetes');
    assert.equal(inventoryOnly.participants.payer.fspId, 'payerfsp');
  });
});

describe('KubernetesEnvironment without a cluster', () => {
  it('nothing listening: fails at once, naming the server and how to point the run elsewhere', async () => {
    const server = `https://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const failure = await startFailure(new KubernetesEnvironment(config(await kubeconfig(server))));
    assert.ok(Date.now() - started < 3000);
    assert.equal(failure.message, `no Kubernetes API answers at ${server} (context fake: connection refused); start the cluster, or point the run at the right one (KUBECONFIG, --kubeconfig, --context; \`kubectl config current-context\` shows the current one)`);
  });

  it('a server that accepts and never answers: fails within the request budget, not never', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => { sockets.push(socket); });
    const server = (await listen(silent)).replace('http:', 'https:');
    try {
      const started = Date.now();
      const failure = await startFailure(new KubernetesEnvironment(config(await kubeconfig(server), { timeouts: { requestMs: 1500 } })));
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1400 && elapsed < 5000, `${elapsed} ms`);
      assert.equal(failure.message, `the Kubernetes API at ${server} (context fake) did not answer within 1500 ms when reading the server version; check the server address, and any VPN, proxy or firewall between here and the cluster`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await closeServer(silent);
    }
  });

  it('no kubeconfig anywhere: says where it looked', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kube-home-'));
    const failure = await startFailure(new KubernetesEnvironment(validateConfigFor('kubernetes'), { env: { HOME: home } }));
    assert.ok(failure instanceof EnvironmentUnavailableError);
    assert.equal(failure.message, `no kubeconfig found (KUBECONFIG is unset and ${home}/.kube/config does not exist), so there is no cluster to read; point KUBECONFIG or --kubeconfig at the cluster's kubeconfig (the one kubectl uses)`);
  });

  it('a kubeconfig that does not parse: named, without quoting its content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-bad-'));
    const file = join(dir, 'config');
    await writeFile(file, `apiVersion: v1\nusers:\n- name: x\n  user: {token: ${TOKEN}\n  : : [`);
    const failure = await startFailure(new KubernetesEnvironment(config(file)));
    assert.ok(failure instanceof ConfigError);
    assert.match(failure.message, new RegExp(`^kubeconfig ${file} cannot be read as a kubeconfig \\(\\w+\\); check it with`));
    assert.deepEqual(secretsIn(failure.message), []);
  });
});
