import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import { KubernetesFailure, type ClusterIdentity } from '../../../src/environment/kubernetes/kubernetes-errors.ts';
import { KubernetesEnvironment } from '../../../src/environment/kubernetes/kubernetes-environment.ts';
import { KubernetesFaults, type KubernetesFaultsOptions } from '../../../src/environment/kubernetes/kubernetes-faults.ts';
import { componentKindsWith } from '../../../src/inventory/component-kinds.ts';
import { FakeKubeApi, type KubeObject } from '../../helpers/fake-kube-api.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { closeServer, listen } from '../../helpers/servers.ts';
import { waitFor } from '../../helpers/wait.ts';

const POLL_MS = 1000;
let fake: FakeKubeApi | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

/** A fake cluster from a fixture, and the injector on it; its polls wait on a clock the test moves. */
async function faultsOn(fixture: string, options: Partial<KubernetesFaultsOptions> = {}) {
  fake = await (await FakeKubeApi.fromFixture(fixture)).start();
  const dir = await mkdtemp(join(tmpdir(), 'kube-faults-'));
  const kc = new KubeConfig();
  kc.loadFromFile(await fake.writeKubeconfig(join(dir, 'config')));
  const cluster: ClusterIdentity = { server: fake.url, context: 'fake', requestTimeoutMs: 5000 };
  const clock = new ManualClock();
  const faults = new KubernetesFaults(kc, { cluster, requestTimeoutMs: 5000, kinds: componentKindsWith(), pollMs: POLL_MS, replacementTimeoutMs: 10_000, clock, ...options });
  return { fake, faults, clock };
}

/** The pods the fake now serves in a namespace, by name. */
const podNames = (api: FakeKubeApi, namespace: string) => api.snapshot.objects.filter((o) => o.kind === 'Pod' && o.metadata.namespace === namespace).map((o) => o.metadata.name);

describe('KubernetesFaults: one pod of a named component deleted through the API', () => {
  it('deletes a central-ledger pod, names it and its owner, and times its replacement to Ready from the API; the pod was stateless', async () => {
    const { fake, faults, clock } = await faultsOn('helm-default');
    const replaced: KubeObject[] = [];
    fake.onPodReplaced = (replacement) => { replaced.push(replacement); };
    const broke = await faults.killOne('centralledger');
    assert.match(broke, /^pod mojaloop\/centralledger-7d9f8b6c4-ax0q \(owner ReplicaSet centralledger-7d9f8b6c4; central-ledger centralledger, matched by image mojaloop\/central-ledger:v19\.4\.1 and workload name centralledger\) deleted with gracePeriodSeconds 0 through the Kubernetes API https:\/\/127\.0\.0\.1:\d+ \(context fake\)$/);
    assert.deepEqual(fake.deletedPods.map((p) => p.metadata.name), ['centralledger-7d9f8b6c4-ax0q']);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE');
    assert.deepEqual(deletes.map((r) => [r.path, r.query.gracePeriodSeconds]), [['/api/v1/namespaces/mojaloop/pods/centralledger-7d9f8b6c4-ax0q', '0']]);
    const replacement = replaced[0]!.metadata.name;
    assert.match(replacement, /^centralledger-7d9f8b6c4-[a-z0-9]{5}$/);
    // Polled once, found not Ready, waiting on the clock: Ready now, seen at the next poll, one poll after the delete.
    await waitFor(() => clock.pendingTimers > 0, { timeoutMs: 5000, what: 'the first poll of the replacement' });
    fake.markPodReady('mojaloop', replacement);
    clock.advance(POLL_MS);
    const aftermath = await faults.aftermath(broke);
    assert.equal(aftermath.replacementReadyMs, POLL_MS);
    assert.match(aftermath.replacement, new RegExp(`^pod mojaloop/${replacement}, created by ReplicaSet centralledger-7d9f8b6c4 for mojaloop/centralledger-7d9f8b6c4-ax0q, seen Ready 1000 ms after the delete \\(Kubernetes API https://127\\.0\\.0\\.1:\\d+ polled every 1000 ms; its Ready condition since 20\\d\\d-`));
    assert.match(aftermath.data, /^stateless: pod mojaloop\/centralledger-7d9f8b6c4-ax0q mounts no persistent volume and is not of the data tier \(mysql, kafka\), so deleting it cannot lose stored data/);
  });

  it('data tier: deletes the MySQL StatefulSet\'s pod, whose replacement has the same name; without persistence its data went with it', async () => {
    const { fake, faults, clock } = await faultsOn('helm-default');
    fake.onPodReplaced = (replacement) => fake!.markPodReady(replacement.metadata.namespace!, replacement.metadata.name);
    const broke = await faults.killOne('mysql');
    assert.match(broke, /^pod mojaloop\/mysqldb-0 \(owner StatefulSet mysqldb; mysql mysqldb, matched by image docker\.io\/bitnami\/mysql:8\.0\.35-debian-11-r0 and workload name mysqldb\) deleted/);
    assert.ok(podNames(fake, 'mojaloop').includes('mysqldb-0'), 'the StatefulSet put a pod of the same name back');
    const aftermath = await faults.aftermath(broke);
    assert.equal(aftermath.replacementReadyMs, 0, 'Ready at the first poll, before the clock moved');
    assert.match(aftermath.replacement, /^pod mojaloop\/mysqldb-0, created by StatefulSet mysqldb for mojaloop\/mysqldb-0, seen Ready/);
    assert.match(aftermath.data, /^data tier \(mysql\) with no persistent volume claim: its data lived in the pod's own filesystem and went with it/);
    assert.equal(clock.pendingTimers, 0);
  });

  it('data tier with persistence (hardened install): the data is on the claim the replacement mounts again', async () => {
    const { fake, faults } = await faultsOn('helm-hardened');
    fake.onPodReplaced = (replacement) => fake!.markPodReady(replacement.metadata.namespace!, replacement.metadata.name);
    const broke = await faults.killOne('mysql');
    assert.match(broke, /^pod mojaloop\/mysqldb-0 \(owner StatefulSet mysqldb;/);
    assert.match((await faults.aftermath(broke)).data, /^data tier \(mysql\): its data is on persistent volume claim data-mysqldb-0, which the replacement mounts again/);
  });

  it('Strimzi and Percona on the IaC cluster are the data tier too; a name that is no kind is a workload\'s name', async () => {
    const { faults } = await faultsOn('iac-eks');
    assert.match((await faults.find('kafka'))!.matchedBy, /^image quay\.io\/strimzi\/kafka:0\.43\.0-kafka-3\.8\.0 and workload name kafka$/);
    const mysql = (await faults.find('mysql'))!;
    assert.equal(`${mysql.pod.namespace}/${mysql.pod.name}`, 'stateful-resources/mysqldb-0');
    assert.equal(mysql.dataTier, true);
    const adapter = (await faults.find('ml-api-adapter'))!;
    assert.equal(adapter.pod.workload, 'ml-api-adapter');
    assert.equal(adapter.dataTier, false);
    assert.deepEqual(await faults.survey(), { hubPod: 'mojaloop/centralledger-7d9f8b6c4-ax0q', dataTierPod: 'stateful-resources/kafka-0' });
  });

  it('nothing matches: throws saying what was looked for, where, and deletes nothing', async () => {
    const { fake, faults } = await faultsOn('helm-default', { namespaces: ['ingress-nginx'] });
    await assert.rejects(faults.killOne('centralledger'), (error: Error) => {
      assert.match(error.message, /^no pod of "centralledger" to delete in https:\/\/127\.0\.0\.1:\d+ \(context fake\): looked for running pods of central-ledger in namespace ingress-nginx: workload names matching \/central-\?ledger\/ or images matching .*mojaloop.*central-ledger.* \(config components\.central-ledger\)$/);
      return true;
    });
    await assert.rejects(faults.killOne('no-such-thing'), /looked for running pods of a workload named "no-such-thing" \(case and punctuation aside\) in namespace ingress-nginx; "no-such-thing" is no component kind \(gateway, .*central-ledger, mysql, kafka\)$/);
    assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, 0);
    assert.deepEqual(await faults.survey(), { hubPod: undefined, dataTierPod: undefined });
  });

  it('RBAC forbids the delete: one line with the API server\'s words and what to grant, as a KubernetesFailure; the pod is still there', async () => {
    const { fake, faults } = await faultsOn('helm-default');
    fake.podDeletesAllowed = false;
    const failure = await faults.killOne('centralledger').then(() => undefined, (error: unknown) => error);
    assert.ok(failure instanceof KubernetesFailure);
    assert.equal(failure.kind, 'forbidden');
    assert.match(failure.message, /^the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(context fake\) forbids deleting pod mojaloop\/centralledger-7d9f8b6c4-ax0q \(403 Forbidden: pods "centralledger-7d9f8b6c4-ax0q" is forbidden: User "system:serviceaccount:default:conformance" cannot delete resource "pods" in API group "" in the namespace "mojaloop"\); the resilience scenarios need delete on pods there \(docs\/kubernetes\.md, "Faults"\): grant it, or leave them out with --tags 'not @concern:resilience'$/);
    assert.ok(!failure.message.includes('\n'));
    assert.ok(podNames(fake, 'mojaloop').includes('centralledger-7d9f8b6c4-ax0q'));
  });

  it('a replacement never Ready: the wait ends at its bound and says what it saw; a run stopping ends it at once', async () => {
    const { faults, clock } = await faultsOn('helm-default', { replacementTimeoutMs: 5000 });
    const broke = await faults.killOne('centralledger');
    const aftermath = faults.aftermath(broke);
    for (let polls = 0; polls < 5; polls += 1) {
      await waitFor(() => clock.pendingTimers > 0, { timeoutMs: 5000, what: `poll ${polls + 1} of the replacement` });
      clock.advance(POLL_MS);
    }
    const seen = await aftermath;
    assert.equal(seen.replacementReadyMs, undefined);
    assert.match(seen.replacement, /^no replacement of mojaloop\/centralledger-7d9f8b6c4-ax0q from ReplicaSet centralledger-7d9f8b6c4 was Ready within 5 s of the delete \(centralledger-7d9f8b6c4-[a-z0-9]{5} not running;/);

    const next = await faults.killOne('mysql');
    const stop = new AbortController();
    const stopped = faults.aftermath(next, stop.signal);
    await waitFor(() => clock.pendingTimers > 0, { timeoutMs: 5000, what: 'the first poll of the replacement' });
    stop.abort();
    assert.match((await stopped).replacement, /^the run stopped \d+ ms after mojaloop\/mysqldb-0 was deleted, before a replacement from StatefulSet mysqldb was Ready/);

    // The environment stopping ends a watch nobody asked about yet: no poll is left behind.
    const last = await faults.killOne('kafka');
    await waitFor(() => clock.pendingTimers > 0, { timeoutMs: 5000, what: 'the first poll of the kafka replacement' });
    faults.stop();
    assert.match((await faults.aftermath(last)).replacement, /^the run stopped \d+ ms after mojaloop\/kafka-0 was deleted/);
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('the kubernetes target grants faults where there are pods to fault, behind a hub URL', () => {
  async function started(fixture: string, settings: { namespaces?: string[]; hub?: boolean }) {
    fake = await (await FakeKubeApi.fromFixture(fixture)).start();
    const hub = createHttpServer((_request, response) => response.end('{}'));
    const hubUrl = await listen(hub);
    const kubeconfig = await fake.writeKubeconfig(join(await mkdtemp(join(tmpdir(), 'kube-faults-')), 'config'));
    const config = validateConfigFor('kubernetes', { kubernetes: { kubeconfig, namespaces: settings.namespaces ?? [] }, timeouts: { requestMs: 10_000 }, ...(settings.hub === false ? {} : { hub: { url: hubUrl } }) });
    const environment = await new KubernetesEnvironment(config).start();
    return { environment, done: async () => { await environment.stop(); await closeServer(hub); } };
  }

  it('a hub, central-ledger and MySQL pods: both fault capabilities, the injector, and a note that pods will be deleted', async () => {
    const { environment, done } = await started('helm-default', {});
    try {
      assert.ok(environment.provides['fault-injection'] instanceof KubernetesFaults);
      assert.deepEqual(environment.provides['data-tier-fault-injection'], { component: 'mojaloop/kafka-0' });
      assert.match(environment.describe().summary, /attached, read-only but for the pods resilience scenarios delete\)/);
      assert.ok(environment.describe().notes!.some((n) => /^resilience scenarios delete one pod of the component they name \(gracePeriodSeconds 0; e\.g\. mojaloop\/centralledger-7d9f8b6c4-ax0q; data tier e\.g\. mojaloop\/kafka-0\)/.test(n)));
    } finally {
      await done();
    }
  });

  it('no data-tier pod where it looks: fault-injection only, and the reason names what was looked for', async () => {
    const { environment, done } = await started('iac-eks', { namespaces: ['mojaloop'] });
    try {
      assert.ok(environment.provides['fault-injection'] instanceof KubernetesFaults);
      assert.equal(environment.provides['data-tier-fault-injection'], undefined);
      assert.match(environment.whyMissing('data-tier-fault-injection'), /^no pod of the data tier to delete: looked for running pods of mysql in namespace mojaloop: .*; and for running pods of kafka in namespace mojaloop: /);
    } finally {
      await done();
    }
  });

  it('without a hub URL there is no load, so no fault: no capability, no injector, no delete', async () => {
    const { environment, done } = await started('helm-default', { hub: false });
    try {
      assert.equal(environment.provides['fault-injection'], undefined);
      assert.equal(environment.provides['data-tier-fault-injection'], undefined);
      assert.match(environment.whyMissing('fault-injection'), /load needs the hub: give the kubernetes target the hub's FSPIOP endpoint \(--hub-url\)/);
      assert.match(environment.describe().summary, /attached, read-only\)/);
    } finally {
      await done();
    }
  });
});
