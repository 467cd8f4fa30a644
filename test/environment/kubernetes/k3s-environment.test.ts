import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import type { K3sSettings, StartedK3sCluster } from '../../../src/environment/kubernetes/k3s-cluster.ts';
import { KubernetesEnvironment } from '../../../src/environment/kubernetes/kubernetes-environment.ts';
import { FakeKubeApi } from '../../helpers/fake-kube-api.ts';

// The kubernetes target with --k3s, its cluster played by the fake API server: the run reads the
// cluster it brought up (through the kubeconfig that cluster handed out) and removes it whatever
// happens after. The real bring-up is test/environment/kubernetes/k3s-cluster.e2e.test.ts.

/** A stand-in for startK3sCluster: the fake as the cluster, and a record of what was asked and stopped. */
async function standIn(fake: FakeKubeApi) {
  const calls: { settings?: K3sSettings; stopped: number } = { stopped: 0 };
  const kubeconfig = await fake.writeKubeconfig(join(await mkdtemp(join(tmpdir(), 'k3s-env-')), 'kubeconfig'), { context: 'default' });
  const start = async (settings: K3sSettings): Promise<StartedK3sCluster> => {
    calls.settings = settings;
    return { kubeconfig, description: 'k3s cluster conformance-k3s-test (stand-in)', stop: async () => { calls.stopped += 1; } };
  };
  return { calls, start };
}

const k3sConfig = (extra: Record<string, unknown> = {}) => validateConfigFor('kubernetes', { kubernetes: { k3s: { enabled: true, image: 'rancher/k3s:v1.31.2-k3s1' }, readinessTimeoutMs: 0, ...extra }, timeouts: { requestMs: 10_000 } });

describe('--k3s: the kubernetes target on a cluster it brings up', () => {
  it('reads the cluster through the kubeconfig the cluster handed out, says it brought it up, and removes it at stop', async () => {
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s')).start();
    try {
      const { calls, start } = await standIn(fake);
      const environment = new KubernetesEnvironment(k3sConfig(), { startK3s: start, env: { HOME: '/nonexistent' } });
      assert.match(environment.describeTarget(), /^kubernetes \(a k3s cluster of rancher\/k3s:v1\.31\.2-k3s1 brought up by the run\)$/);
      const started = await environment.start();
      assert.equal(calls.settings?.image, 'rancher/k3s:v1.31.2-k3s1');
      const description = started.describe();
      assert.match(description.summary, /^Kubernetes cluster at https:\/\/127\.0\.0\.1:\d+ \(context default, v1\.27\.16\+k3s1, 1 node; k3s brought up by the run, read-only\)/);
      assert.equal(description.notes![0], 'k3s cluster conformance-k3s-test (stand-in)');
      assert.equal(calls.stopped, 0);
      await started.stop();
      assert.equal(calls.stopped, 1);
    } finally {
      await fake.stop();
    }
  });

  it('a start that fails once the cluster is up (its hub never ready, an API that refuses) removes the cluster before the error is said', async () => {
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s')).start();
    try {
      const { calls, start } = await standIn(fake);
      // The kubeconfig carries no token: the API refuses it (401).
      fake.token = 'a-token-the-kubeconfig-does-not-carry';
      const failure = await new KubernetesEnvironment(k3sConfig(), { startK3s: start, env: { HOME: '/nonexistent' } }).start().then(() => undefined, (error: Error) => error);
      assert.match(failure?.message ?? '', /refused our credentials \(401 Unauthorized\)/);
      assert.equal(calls.stopped, 1, 'the cluster was removed');
    } finally {
      await fake.stop();
    }
  });

  it('interrupted while waiting for the hub in the cluster: the cluster is removed', async () => {
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s')).start();
    try {
      const { calls, start } = await standIn(fake);
      fake.setStatus('Deployment', 'default', 'ml-api-adapter', { availableReplicas: 0, readyReplicas: 0 });
      const interrupt = new AbortController();
      const starting = new KubernetesEnvironment(k3sConfig({ readinessTimeoutMs: 600_000 }), {
        startK3s: start, env: { HOME: '/nonexistent' }, signal: interrupt.signal,
        // The first progress line means the wait has begun: interrupt it then, as Ctrl-C would.
        progress: () => interrupt.abort(),
      }).start();
      await assert.rejects(starting, /interrupted while waiting for the hub workloads/);
      assert.equal(calls.stopped, 1);
    } finally {
      await fake.stop();
    }
  });
});
