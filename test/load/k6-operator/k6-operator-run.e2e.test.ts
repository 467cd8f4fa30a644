import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FakeKubeApi } from '../../helpers/fake-kube-api.ts';
import { tempDir } from '../../helpers/cli.ts';
import { clusterWithOperator } from '../../helpers/k6-operator.ts';
import { runInProcess } from '../../helpers/run.ts';

/** A conformance run choosing the k6-operator runner where it cannot run: stopped before any scenario, in one line, with its exit code. */
describe('a conformance run with --runner k6-operator', () => {
  let fake: FakeKubeApi;
  let kubeconfig: string;
  before(async () => {
    fake = await clusterWithOperator({ crd: false });
    kubeconfig = await fake.writeKubeconfig(join(await tempDir('k6-operator-run'), 'kubeconfig'));
  });
  after(() => fake.stop());

  // The embedded target's hub, driven by runner pods in a cluster of its own (k6Operator.kubeconfig).
  const input = (k6Operator: Record<string, unknown>) => ({ tier: 'helm' as const, load: { runner: 'k6-operator' as const }, k6Operator: { kubeconfig, ...k6Operator } });

  it('on a cluster without k6-operator: exit 4 before any scenario, the line names the missing CRD', async () => {
    const { exitCode, output, result } = await runInProcess(input({ namespace: 'load', hubUrl: 'http://ml-api-adapter.mojaloop.svc:3000', callbacks: { address: '10.0.0.5' } }), { tags: '@guarantee:HELM-SLA-01' });
    assert.equal(exitCode, 4, output);
    assert.match(output, /^error: the cluster at https:\/\/127\.0\.0\.1:\d+ \(context fake\) has no k6-operator: the TestRun CRD \(testruns\.k6\.io\/v1alpha1\) is not installed; install grafana\/k6-operator .* or run with --runner builtin or k6$/m);
    assert.equal(result.summary.passed, 0);
  });

  it('with a hub or a callback server only this machine reaches (loopback): exit 2 naming the setting', async () => {
    const hub = await runInProcess(input({ callbacks: { address: '10.0.0.5' } }), { tags: '@guarantee:HELM-SLA-01' });
    assert.equal(hub.exitCode, 2, hub.output);
    assert.match(hub.output, /^error: k6Operator\.hubUrl: the k6-operator runner pods cannot reach the hub at 127\.0\.0\.1 \(a loopback address of this machine\); set k6Operator\.hubUrl to the hub's FSPIOP URL as the cluster's pods reach it/m);
    const callbacks = await runInProcess(input({ hubUrl: 'http://ml-api-adapter.mojaloop.svc:3000' }), { tags: '@guarantee:HELM-SLA-01' });
    assert.equal(callbacks.exitCode, 2, callbacks.output);
    assert.match(callbacks.output, /^error: k6Operator\.callbacks\.address: the k6-operator runner pods cannot reach our callback server at 127\.0\.0\.1 \(a loopback address\)/m);
  });
});
