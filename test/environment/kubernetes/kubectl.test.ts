import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FakeKubeApi } from '../../helpers/fake-kube-api.ts';
import { clusterWithOperator } from '../../helpers/k6-operator.ts';

/**
 * Keeps the fake Kubernetes API honest: kubectl — a client the tool does not control — must list
 * every fixture cluster through it, discovery, short names, server-side tables and pagination
 * included. (Async child process: the fake serves from this process, a synchronous spawn would
 * starve it.)
 */
const run = promisify(execFile);
const FIXTURES = ['miniloop-k3s', 'helm-default', 'helm-hardened', 'iac-eks'];
const HOW = 'install it with `bash scripts/kubectl.sh` (Debian\'s kubernetes-client)';
const kubectl = await run('kubectl', ['version', '--client'], { timeout: 10_000 }).then(() => true, () => false);

if (!kubectl && process.env.CI) {
  it('kubectl is installed in CI', () => {
    assert.fail(`CI is set but kubectl is not on PATH: the fake Kubernetes API must not go unchecked in CI; ${HOW}`);
  });
}

const KINDS: Record<string, string> = { Pod: 'pod', Deployment: 'deployment.apps', Service: 'service', Ingress: 'ingress.networking.k8s.io' };

describe('kubectl lists the fixture clusters through the fake Kubernetes API', { skip: kubectl ? false : `kubectl is not on PATH: ${HOW}` }, () => {
  for (const name of FIXTURES) {
    it(`kubectl get pods,deploy,svc,ingress -A on ${name}: every object, by namespace, over several pages`, async () => {
      // Pages of 4 whatever kubectl asks: its own pagination is exercised too.
      const fake = await (await FakeKubeApi.fromFixture(name, { token: 'kubectl-test-token', maxPageSize: 4 })).start();
      try {
        const dir = await mkdtemp(join(tmpdir(), 'kubectl-fake-'));
        const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: 'kubectl-test-token' });
        const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'pods,deploy,svc,ingress', '-A'], {
          timeout: 30_000, env: { ...process.env, HOME: dir },
        });
        const listed = new Set(stdout.split('\n').map((line) => line.trim().split(/\s+/).slice(0, 2).join(' ')).filter((pair) => pair.includes('/')));
        const expected = fake.snapshot.objects.filter((o) => KINDS[o.kind]).map((o) => `${o.metadata.namespace} ${KINDS[o.kind]}/${o.metadata.name}`);
        assert.ok(expected.length > 10, `${name} has objects to list`);
        assert.deepEqual([...listed].sort(), expected.sort());
        assert.ok(fake.requests.some((r) => r.query.continue), 'kubectl followed continue tokens');
        assert.ok(fake.requests.every((r) => r.authorization === 'Bearer kubectl-test-token'), 'kubectl sent the kubeconfig\'s token');
      } finally {
        await fake.stop();
      }
    });
  }

  it('kubectl creates, lists and deletes what the k6-operator runner makes (a ConfigMap, a TestRun of the CRD) through the fake', async () => {
    const fake = await clusterWithOperator();
    try {
      const dir = await mkdtemp(join(tmpdir(), 'kubectl-fake-'));
      // A token: a user without credentials makes kubectl ask for a password.
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: 'kubectl-test-token' });
      const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '-n', 'k6-load', ...args], { timeout: 30_000, env: { ...process.env, HOME: dir } });
      const manifest = join(dir, 'objects.json');
      await writeFile(manifest, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conformance-k6-0a1b2c3d' }, data: { 'p2p.js': '// bundle' } },
        { apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: 'conformance-k6-0a1b2c3d' }, spec: { parallelism: 2, script: { configMap: { name: 'conformance-k6-0a1b2c3d', file: 'p2p.js' } } } },
      ] }));
      await kubectl('create', '--validate=false', '-f', manifest);
      const { stdout } = await kubectl('get', 'testruns,configmaps');
      assert.match(stdout, /testrun\.k6\.io\/conformance-k6-0a1b2c3d/);
      assert.match(stdout, /configmap\/conformance-k6-0a1b2c3d/);
      await kubectl('delete', 'testrun', 'conformance-k6-0a1b2c3d');
      assert.deepEqual(fake.objectsOf('TestRun', 'k6-load'), []);
      assert.equal(fake.objectsOf('ConfigMap', 'k6-load').length, 1);
    } finally {
      await fake.stop();
    }
  });

  it('kubectl is told 401 with a wrong token, as by a real API server', async () => {
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s', { token: 'right' })).start();
    try {
      const dir = await mkdtemp(join(tmpdir(), 'kubectl-fake-'));
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: 'wrong' });
      const failure = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'pods', '-A'], { timeout: 30_000, env: { ...process.env, HOME: dir } })
        .then(() => undefined, (error: { stderr: string }) => error);
      assert.ok(failure, 'kubectl failed');
      assert.match(failure.stderr, /must be logged in to the server|Unauthorized/);
    } finally {
      await fake.stop();
    }
  });

  it('kubectl delete pod: the pod is replaced by its controller as listed next; a role without delete is told 403 in the API server\'s words', async () => {
    const fake = await (await FakeKubeApi.fromFixture('helm-default', { token: 'kubectl-test-token' })).start();
    try {
      const dir = await mkdtemp(join(tmpdir(), 'kubectl-fake-'));
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: 'kubectl-test-token' });
      const kubectlRun = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000, env: { ...process.env, HOME: dir } });
      const { stdout } = await kubectlRun('delete', 'pod', '-n', 'mojaloop', 'centralledger-7d9f8b6c4-ax0q', '--grace-period=0', '--force');
      assert.match(stdout, /pod "centralledger-7d9f8b6c4-ax0q" force deleted/);
      const listed = (await kubectlRun('get', 'pods', '-n', 'mojaloop')).stdout;
      assert.doesNotMatch(listed, /centralledger-7d9f8b6c4-ax0q/);
      assert.match(listed, /\ncentralledger-7d9f8b6c4-[a-z0-9]{5} /);
      fake.podDeletesAllowed = false;
      const failure = await kubectlRun('delete', 'pod', '-n', 'mojaloop', 'mysqldb-0').then(() => undefined, (error: { stderr: string }) => error);
      assert.match(failure!.stderr, /Error from server \(Forbidden\): pods "mysqldb-0" is forbidden: User "system:serviceaccount:default:conformance" cannot delete resource "pods" in API group "" in the namespace "mojaloop"/);
    } finally {
      await fake.stop();
    }
  });
});
