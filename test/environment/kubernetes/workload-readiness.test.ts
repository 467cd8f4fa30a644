import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EnvironmentUnavailableError } from '../../../src/config/errors.ts';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import { providerOf } from '../../../src/environment/capability-providers.ts';
import type { StartedEnvironment } from '../../../src/environment/environment.ts';
import { KubernetesEnvironment } from '../../../src/environment/kubernetes/kubernetes-environment.ts';
import { isHubWorkload, readinessLine, type WorkloadState } from '../../../src/environment/kubernetes/workload-readiness.ts';
import { FakeKubeApi } from '../../helpers/fake-kube-api.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { waitFor } from '../../helpers/wait.ts';

const INTERVAL_MS = 2000;

/** A rollout in progress: central-ledger and Kafka are not available yet. */
function rollingOut(fake: FakeKubeApi): void {
  fake.setStatus('Deployment', 'default', 'centralledger', { availableReplicas: 0, readyReplicas: 0 });
  fake.setStatus('StatefulSet', 'default', 'kafka', { availableReplicas: 0, readyReplicas: 0 });
}

function available(fake: FakeKubeApi, kind: string, name: string): void {
  fake.setStatus(kind, 'default', name, { availableReplicas: 1, readyReplicas: 1 });
}

describe('the kubernetes target waits for the hub\'s workloads to be ready', () => {
  let fake: FakeKubeApi;
  let kubeconfig: string;
  before(async () => {
    fake = await (await FakeKubeApi.fromFixture('miniloop-k3s')).start();
    kubeconfig = await fake.writeKubeconfig(join(await mkdtemp(join(tmpdir(), 'kube-ready-')), 'config'));
  });
  after(() => fake.stop());

  function environment(readinessTimeoutMs: number | undefined, clock: ManualClock, lines: string[]) {
    const config = validateConfigFor('kubernetes', { kubernetes: { kubeconfig, ...(readinessTimeoutMs === undefined ? {} : { readinessTimeoutMs }) } });
    return new KubernetesEnvironment(config, { clock, readinessIntervalMs: INTERVAL_MS, progress: (line) => lines.push(line) });
  }

  /** The wait is paused between two reads: the clock's one timer is its next read. */
  const paused = (clock: ManualClock) => waitFor(() => clock.pendingTimers === 1, { timeoutMs: 10_000, what: 'the readiness wait to pause between two reads' });

  it('prints how many are ready and what it waits for, goes on when they are, and reads the inventory again', async () => {
    rollingOut(fake);
    const clock = new ManualClock();
    const lines: string[] = [];
    const starting = environment(undefined, clock, lines).start();
    await paused(clock);
    assert.deepEqual(lines, ['  7/9 hub workloads ready: waiting for Deployment default/centralledger (0/1 available), StatefulSet default/kafka (0/1 available)']);
    available(fake, 'StatefulSet', 'kafka');
    clock.advance(INTERVAL_MS);
    await waitFor(() => lines.length === 2 && clock.pendingTimers === 1, { timeoutMs: 10_000, what: 'the next progress line', describe: () => lines.join(' | ') });
    assert.equal(lines[1], '  8/9 hub workloads ready: waiting for Deployment default/centralledger (0/1 available)');
    available(fake, 'Deployment', 'centralledger');
    clock.advance(INTERVAL_MS);
    const started: StartedEnvironment = await starting;
    try {
      assert.equal(lines[2], '  all 9 hub workloads ready after 4 s');
      const inventory = await providerOf(started, 'kubernetes-inventory').inventory();
      assert.equal(inventory.components.find((c) => c.name === 'centralledger')?.health, 'healthy', 'read after the wait, not before');
    } finally {
      await started.stop();
    }
  });

  it('on timeout stops the run (exit 4) naming every workload not ready and how to wait longer or not at all', async () => {
    rollingOut(fake);
    const clock = new ManualClock();
    const lines: string[] = [];
    const starting = environment(5000, clock, lines).start().then(() => undefined, (error: Error) => error);
    await paused(clock);
    clock.advance(INTERVAL_MS);
    await paused(clock);
    clock.advance(INTERVAL_MS);
    await paused(clock);
    clock.advance(1000);
    const failure = await starting;
    assert.ok(failure instanceof EnvironmentUnavailableError, String(failure));
    assert.match(failure.message, new RegExp(`^2 of 9 hub workloads of the cluster at ${fake.url} \\(context fake\\) not ready after 5 s: `
      + 'Deployment default/centralledger \\(0/1 available\\), StatefulSet default/kafka \\(0/1 available\\); .*kubernetes\\.readinessTimeoutMs.*kubernetes\\.readinessTimeoutMs: 0'));
    assert.equal(lines.length, 1, 'one line while nothing changes, not one per read');
    available(fake, 'StatefulSet', 'kafka');
    available(fake, 'Deployment', 'centralledger');
  });

  it('readinessTimeoutMs 0 reads the cluster as it is: no wait, the workload not ready is in the inventory as such', async () => {
    rollingOut(fake);
    const clock = new ManualClock();
    const lines: string[] = [];
    try {
      const started = await environment(0, clock, lines).start();
      const inventory = await providerOf(started, 'kubernetes-inventory').inventory();
      assert.notEqual(inventory.components.find((c) => c.name === 'centralledger')?.health, 'healthy');
      assert.deepEqual(lines, []);
      assert.equal(clock.pendingTimers, 0);
      await started.stop();
    } finally {
      available(fake, 'StatefulSet', 'kafka');
      available(fake, 'Deployment', 'centralledger');
    }
  });

  it('an interrupted run stops waiting at once', async () => {
    rollingOut(fake);
    const clock = new ManualClock();
    const abort = new AbortController();
    const config = validateConfigFor('kubernetes', { kubernetes: { kubeconfig } });
    const starting = new KubernetesEnvironment(config, { clock, readinessIntervalMs: INTERVAL_MS, signal: abort.signal }).start().then(() => undefined, (error: Error) => error);
    try {
      await paused(clock);
      abort.abort();
      const failure = await starting;
      assert.match(String(failure), /interrupted while waiting for the hub workloads/);
    } finally {
      available(fake, 'StatefulSet', 'kafka');
      available(fake, 'Deployment', 'centralledger');
    }
  });
});

describe('hub workloads', () => {
  const workload = (name: string, images: string[], available = 1, desired = 1): WorkloadState => ({ kind: 'Deployment', namespace: 'mojaloop', name, images, available, desired });

  it('are the hub\'s services and data tier, by name or image; the rest of the cluster is not waited for', () => {
    assert.ok(isHubWorkload(workload('moja-centralledger-handler-transfer-prepare', [])));
    assert.ok(isHubWorkload(workload('ledger', ['mojaloop/central-ledger:v17.8.0'])));
    assert.ok(isHubWorkload(workload('mysqldb', ['mysql:8.0'])));
    assert.ok(!isHubWorkload(workload('ingress-nginx-controller', ['registry.k8s.io/ingress-nginx/controller:v1.9.4'])));
    assert.ok(!isHubWorkload(workload('grafana', ['grafana/grafana:10.2.0'])));
  });

  it('names the first three awaited and counts the others', () => {
    const hub = ['a', 'b', 'c', 'd', 'e'].map((n) => workload(`central-ledger-${n}`, [], 0, 2)).concat(workload('ml-api-adapter', []));
    assert.equal(readinessLine(hub), '1/6 hub workloads ready: waiting for Deployment mojaloop/central-ledger-a (0/2 available), '
      + 'Deployment mojaloop/central-ledger-b (0/2 available), Deployment mojaloop/central-ledger-c (0/2 available) and 2 more');
  });
});
