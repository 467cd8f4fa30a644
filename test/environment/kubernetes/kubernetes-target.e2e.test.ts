import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ResultDocument } from '../../../src/reports/result-document.ts';
import { runCli, startCli, waitForOutput } from '../../helpers/cli.ts';
import { FakeKubeApi, kubeconfigFor } from '../../helpers/fake-kube-api.ts';
import { freePort } from '../../helpers/servers.ts';

/**
 * `--target kubernetes` as a user runs it: the CLI in a child process, KUBECONFIG pointing at a
 * kubeconfig for the fake API server, which serves a fixture cluster. The callback server takes any
 * free port (nothing calls it back without a hub URL) so concurrent runs never collide.
 */
const TOKEN = 'e2e-token-never-printed';

async function conformance(fixture: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; result: ResultDocument; ms: number }> {
  const fake = await (await FakeKubeApi.fromFixture(fixture, { token: TOKEN })).start();
  try {
    const dir = await mkdtemp(join(tmpdir(), 'kubernetes-e2e-'));
    const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: TOKEN });
    const started = Date.now();
    const run = await runCli('conformance', ['--target', 'kubernetes', '--callback-port', '0', '--reports-dir', join(dir, 'reports'), ...args], { env: { KUBECONFIG: kubeconfig } });
    const ms = Date.now() - started;
    const result = JSON.parse(await readFile(join(dir, 'reports', 'latest', 'result.json'), 'utf8')) as ResultDocument;
    assert.ok(!`${run.stdout}${run.stderr}`.includes(TOKEN), 'the token is never printed');
    return { ...run, result, ms };
  } finally {
    await fake.stop();
  }
}

const byId = (result: ResultDocument) => Object.fromEntries(result.guarantees.map((g) => [g.id, g]));

describe('--target kubernetes end to end against fixture clusters served by a fake API server', () => {
  it('no cluster reachable: fails in seconds with one clear line and exit 4', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubernetes-e2e-'));
    const server = `https://127.0.0.1:${await freePort()}`;
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigFor(server, { token: TOKEN }));
    const started = Date.now();
    const run = await runCli('conformance', ['--tier', 'miniloop', '--target', 'kubernetes', '--callback-port', '0', '--reports-dir', join(dir, 'reports')], { env: { KUBECONFIG: kubeconfig } });
    const ms = Date.now() - started;
    assert.equal(run.code, 4, run.stdout + run.stderr);
    assert.ok(ms < 15_000, `${ms} ms`);
    const errors = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => /^error:/.test(line));
    assert.deepEqual(errors, [`error: no Kubernetes API answers at ${server} (context fake: connection refused); start the cluster, or point the run at the right one (KUBECONFIG, --kubeconfig, --context; \`kubectl config current-context\` shows the current one)`]);
    assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!(run.stdout + run.stderr).includes(TOKEN));
  });

  it('a hub still rolling out past kubernetes.readinessTimeoutMs: exit 4, one line naming the workload not ready, after the progress line', async () => {
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s', { token: TOKEN })).start();
    try {
      fake.setStatus('Deployment', 'default', 'ml-api-adapter', { availableReplicas: 0, readyReplicas: 0 });
      const dir = await mkdtemp(join(tmpdir(), 'kubernetes-e2e-'));
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: TOKEN });
      const config = join(dir, 'cluster.yaml');
      await writeFile(config, 'target: kubernetes\ntier: miniloop\nkubernetes: { readinessTimeoutMs: 1 }\n');
      const run = await runCli('conformance', ['--config', config, '--callback-port', '0', '--reports-dir', join(dir, 'reports')], { env: { KUBECONFIG: kubeconfig } });
      assert.equal(run.code, 4, run.stdout + run.stderr);
      assert.match(run.stdout, /  8\/9 hub workloads ready: waiting for Deployment default\/ml-api-adapter \(0\/1 available\)\n/);
      const errors = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => /^error:/.test(line));
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0]!, /^error: 1 of 9 hub workloads of the cluster at https:\/\/127\.0\.0\.1:\d+ \(context fake\) not ready after 0 s: Deployment default\/ml-api-adapter \(0\/1 available\); /);
      assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await fake.stop();
    }
  });

  it('Miniloop on k3s: every deployment guarantee evaluated; the ingress and the distribution reported as mismatches with evidence', async () => {
    const { code, result, ms, stdout } = await conformance('miniloop-k3s', ['--tier', 'miniloop']);
    const verdicts = byId(result);
    const deployment = result.guarantees.filter((g) => g.id.startsWith('ML-DEP-'));
    assert.equal(deployment.length, 9);
    assert.deepEqual(deployment.filter((g) => g.verdict === 'NOT_EVALUATED').map((g) => g.id), [], 'every deployment guarantee evaluated');
    assert.equal(verdicts['ML-DEP-02']!.verdict, 'FAIL');
    assert.match(verdicts['ML-DEP-02']!.reason!, /^Kubernetes distribution was k3s \(node miniloop: kubelet v1\.27\.16\+k3s1; node\.kubernetes\.io\/instance-type=k3s\), expected one of microk8s/);
    assert.equal(verdicts['ML-DEP-05']!.verdict, 'FAIL');
    assert.match(verdicts['ML-DEP-05']!.reason!, /ingress components was deployment ingress-nginx\/ingress-nginx-controller \(image registry\.k8s\.io\/ingress-nginx\/controller:v1\.9\.4\), Ingress default\/account-lookup-service/);
    assert.ok(verdicts['ML-DEP-05']!.evidence.every((m) => /^Kubernetes API https:\/\/127\.0\.0\.1:\d+ \(context fake\)$/.test(m.source)));
    for (const id of ['ML-DEP-01', 'ML-DEP-03', 'ML-DEP-04', 'ML-DEP-06', 'ML-DEP-07', 'ML-DEP-08', 'ML-DEP-09']) assert.equal(verdicts[id]!.verdict, 'PASS', `${id}: ${verdicts[id]!.reason}`);
    // Usage at rest is not read from a cluster yet: not evaluated, never failed for want of a figure.
    assert.equal(verdicts['ML-RES-01']!.verdict, 'NOT_EVALUATED');
    assert.equal(code, 1);
    assert.match(stdout, /target kubernetes/);
    console.log(`miniloop run against the fake: ${ms} ms; ${result.summary.passed} passed, ${result.summary.failed} failed, ${result.summary.notEvaluated} not evaluated`);
  });

  it('HELM with the chart defaults fails every data guarantee; the hardened install passes them, and its 5 nodes meet the resource minimum', async () => {
    const args = ['--tier', 'helm', '--tags', '@concern:data or @concern:resources'];
    const [defaults, hardened] = await Promise.all([conformance('helm-default', args), conformance('helm-hardened', args)]);
    const data = (result: ResultDocument) => result.guarantees.filter((g) => g.concern === 'data').map((g) => [g.id, g.verdict]);
    assert.deepEqual(data(defaults.result), ['01', '02', '03', '04', '05', '06'].map((n) => [`HELM-DAT-${n}`, 'FAIL']));
    assert.match(byId(defaults.result)['HELM-DAT-01']!.reason!, /Kafka replication factor was 1 \(ConfigMap mojaloop\/kafka-controller-configuration \(server\.properties\)\), expected ≥ 3/);
    assert.match(byId(defaults.result)['HELM-DAT-05']!.reason!, /retention of the ledger database statefulset mojaloop\/mysqldb was none: no backup schedule, and its data lives in the container/);
    assert.equal(defaults.code, 1);
    assert.deepEqual(data(hardened.result), ['01', '02', '03', '04', '05', '06'].map((n) => [`HELM-DAT-${n}`, 'PASS']));
    assert.match(JSON.stringify(byId(hardened.result)['HELM-DAT-05']!.evidence), /backups of the ledger kept by Schedule velero\/mojaloop-daily.*30 days \(ttl 720h0m0s/);
    assert.match(JSON.stringify(byId(hardened.result)['HELM-DAT-06']!.evidence), /archiving CronJob cronjob mojaloop\/ledger-archiver.*last succeeded/);
    assert.equal(byId(hardened.result)['HELM-RES-01']!.verdict, 'PASS', byId(hardened.result)['HELM-RES-01']!.reason ?? '');
    assert.match(JSON.stringify(byId(hardened.result)['HELM-RES-01']!.evidence), /"CPU cores of the nodes","value":"40 on 5 node\(s\)"/);
  });

  it('IaC: two hub environments under Argo CD pass IAC-DEP-04', async () => {
    const { result } = await conformance('iac-eks', ['--tier', 'iac', '--tags', '@concern:deployment']);
    const dep04 = byId(result)['IAC-DEP-04']!;
    assert.equal(dep04.verdict, 'PASS', dep04.reason ?? '');
    assert.match(JSON.stringify(dep04.evidence), /mojaloop-dev → https:\/\/dev\.k8s\.example mojaloop \(Synced\/Healthy\).*mojaloop-test → https:\/\/test\.k8s\.example mojaloop/);
  });

  it('with the hub\'s URLs (here `npm run hub` standing in for the cluster\'s hub) the functional guarantees run too, beside the inventory\'s', async () => {
    const hub = startCli('hub', []);
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s', { token: TOKEN })).start();
    try {
      const [printed] = await waitForOutput(hub.output, /^ {2}target: url\n {2}hub:\n(?: {4}.*\n)+ {2}callback:\n {4}port: 4100\n/m, 15_000);
      const dir = await mkdtemp(join(tmpdir(), 'kubernetes-e2e-'));
      // Tests run side by side: our DFSPs listen on free ports instead of the printed 4100 and 4101.
      const config = `${printed!.replace(/^ {2}/gm, '').replace('target: url', 'target: kubernetes').replace('port: 4100', `port: ${await freePort()}`)}provision:\n  payee:\n    port: ${await freePort()}\n`;
      await writeFile(join(dir, 'cluster.yaml'), config);
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'), { token: TOKEN });
      const run = await runCli('conformance', ['--config', join(dir, 'cluster.yaml'), '--tier', 'miniloop', '--reports-dir', join(dir, 'reports')], { env: { KUBECONFIG: kubeconfig } });
      const result = JSON.parse(await readFile(join(dir, 'reports', 'latest', 'result.json'), 'utf8')) as ResultDocument;
      const verdicts = result.guarantees.map((g) => [g.id, g.verdict]);
      assert.equal(result.target, 'kubernetes');
      assert.deepEqual(verdicts.filter(([id]) => id!.startsWith('ML-FUN-')), Array.from({ length: 19 }, (_, i) => [`ML-FUN-${String(i + 1).padStart(2, '0')}`, 'PASS']), run.stdout);
      assert.deepEqual(verdicts.filter(([id, verdict]) => id!.startsWith('ML-DEP-') && verdict === 'NOT_EVALUATED'), []);
      assert.match(run.stdout, /Kubernetes cluster at https:\/\/127\.0\.0\.1:\d+ \(context fake, v1\.27\.16\+k3s1, 1 node; attached, read-only but for the pods resilience scenarios delete\); FSPIOP: hub under test given by URL/);
      assert.equal(run.code, 1, 'ML-DEP-02 and ML-DEP-05 fail');
    } finally {
      await fake.stop();
      hub.child.kill('SIGINT');
      await hub.done;
    }
  });
});
