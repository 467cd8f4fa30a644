import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateConfig } from '../../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../../src/environment/embedded/reference-deployment.ts';
import type { LoadProfile } from '../../../src/load/load-profiles.ts';
import { tempDir } from '../../helpers/cli.ts';
import { FakeKubeApi, type KubeObject } from '../../helpers/fake-kube-api.ts';
import { QUICK_LOAD, runInProcess } from '../../helpers/run.ts';
import { freePort } from '../../helpers/servers.ts';

/**
 * As the embedded resilience test's load: long enough for five healthy seconds in a row after the
 * hub is back, once the transfers in flight at the delete have waited out their callback timeout.
 */
const RESILIENCE_LOAD: LoadProfile = {
  name: 'test-resilience', description: 'thirty seconds of steady state with a pod deleted halfway', maxRatePerSecond: 20, maxDurationMs: 30_000,
  warmupMs: 1000, drainMs: 2000, intervalMs: 1000, certifies: false,
};

/** How long the deleted central-ledger stays down before its replacement starts. */
const DOWN_MS = 3000;

/**
 * The cluster's central-ledger, played by a reference hub this test runs on a ledger file: deleting
 * its pod through the fake API stops that hub, and the replacement the fake creates starts it again
 * on the same ports and books, then is marked Ready — so the outage the load sees is real.
 */
class CentralLedgerPod {
  readonly #config;
  #deployment: ReferenceDeployment | undefined;
  #ports: { hubPort: number; adminPort: number; payeePort: number } | undefined;
  #restart: Promise<void> | undefined;
  readonly events: string[] = [];

  constructor(dataDir: string) {
    this.#config = validateConfig({ embedded: { dataDir } });
  }

  async start(): Promise<{ hubUrl: string; adminUrl: string }> {
    this.#deployment = new ReferenceDeployment(this.#config);
    const urls = await this.#deployment.start();
    const port = (url: string) => Number(new URL(url).port);
    this.#ports = { hubPort: port(urls.hubUrl), adminPort: port(urls.adminUrl), payeePort: port(urls.payeeUrl!) };
    return urls;
  }

  /** Wires the fake's pod hooks: the central-ledger pod's delete and replacement are this hub's stop and start. */
  attach(fake: FakeKubeApi): void {
    const isLedger = (pod: KubeObject) => pod.metadata.name.startsWith('centralledger-');
    fake.onPodDeleted = async (pod) => {
      if (!isLedger(pod)) return;
      this.events.push(`deleted ${pod.metadata.name}`);
      await this.#deployment?.stop();
      this.#deployment = undefined;
    };
    fake.onPodReplaced = (replacement) => {
      if (!isLedger(replacement)) return;
      this.#restart = (async () => {
        // The replacement's container takes a while to start: arrivals meanwhile are refused, so the
        // load sees an outage to recover from. Nothing is judged on this pause's precision.
        await sleep(DOWN_MS);
        const deployment = new ReferenceDeployment(this.#config, this.#ports);
        await deployment.start();
        this.#deployment = deployment;
        this.events.push(`restarted as ${replacement.metadata.name}`);
        fake.markPodReady(replacement.metadata.namespace!, replacement.metadata.name);
      })();
    };
  }

  async stop(): Promise<void> {
    await this.#restart?.catch(() => undefined);
    await this.#deployment?.stop();
  }
}

describe('--target kubernetes: a central-ledger pod deleted under load, end to end', () => {
  it('names the pod it deleted, measures the real outage (RTO) and the replacement\'s readiness from the API, and reconciles every committed transfer (RPO)', async () => {
    const dir = await tempDir('kube-faults-e2e');
    const ledger = new CentralLedgerPod(join(dir, 'hub'));
    const urls = await ledger.start();
    const fake = await (await FakeKubeApi.fromFixture('helm-default')).start();
    ledger.attach(fake);
    try {
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'));
      const { byId, output, exitCode } = await runInProcess({
        target: 'kubernetes', tier: 'helm', kubernetes: { kubeconfig },
        hub: { url: urls.hubUrl, adminUrl: urls.adminUrl }, callback: { port: await freePort() }, provision: { payee: { port: await freePort() } },
      }, { tags: '@guarantee:HELM-RSL-01 or @guarantee:HELM-RSL-02', loadProfile: RESILIENCE_LOAD });

      assert.deepEqual(fake.deletedPods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`), ['mojaloop/centralledger-7d9f8b6c4-ax0q'], 'one load, one delete, shared by both scenarios');
      assert.deepEqual(fake.hookErrors, []);
      assert.match(ledger.events.join('; '), /^deleted centralledger-7d9f8b6c4-ax0q; restarted as centralledger-7d9f8b6c4-[a-z0-9]{5}$/);
      const deleted = /pod mojaloop\/centralledger-7d9f8b6c4-ax0q \(owner ReplicaSet centralledger-7d9f8b6c4; central-ledger centralledger, matched by image mojaloop\/central-ledger:v19\.4\.1 and workload name centralledger\) deleted with gracePeriodSeconds 0/;

      const rto = byId['HELM-RSL-01']!;
      // Under the reduced load a recovery that would pass proves nothing about 100 transfers/s: not evaluated, with what was measured.
      assert.equal(rto.verdict, 'NOT_EVALUATED', `${rto.reason}\n${output}`);
      assert.match(rto.reason!, /^held 20 transfers\/s for 30 s \(profile test-resilience\): time until transfers succeed again: \d+ ms/);
      const outage = rto.evidence.find((m) => m.name === 'time until transfers succeed again')!;
      // Arrivals were refused for DOWN_MS: the first healthy seconds come after that, never before.
      assert.ok(outage.ok && typeof outage.value === 'number' && outage.value >= DOWN_MS - 1000 && outage.value < 75_000, JSON.stringify(outage));
      assert.match(outage.source, deleted);
      const ready = rto.evidence.find((m) => m.name === 'time until the replacement was ready')!;
      assert.ok(ready.informational && typeof ready.value === 'number' && ready.value >= DOWN_MS, JSON.stringify(ready));
      assert.match(ready.source, /^pod mojaloop\/centralledger-7d9f8b6c4-[a-z0-9]{5}, created by ReplicaSet centralledger-7d9f8b6c4 for mojaloop\/centralledger-7d9f8b6c4-ax0q, seen Ready \d+ ms after the delete/);

      const rpo = byId['HELM-RSL-02']!;
      assert.equal(rpo.verdict, 'NOT_EVALUATED', `${rpo.reason}\n${output}`);
      assert.match(rpo.measured!, /^committed transfers lost: 0 of [1-9]\d*/);
      const lost = rpo.evidence.find((m) => m.name === 'committed transfers lost')!;
      assert.ok(lost.ok);
      assert.match(lost.source, deleted);
      const kept = rpo.evidence.find((m) => m.name === 'data the faulted part kept')!;
      assert.match(String(kept.value), /^stateless: pod mojaloop\/centralledger-7d9f8b6c4-ax0q mounts no persistent volume and is not of the data tier \(mysql, kafka\), so deleting it cannot lose stored data/);
      assert.equal(exitCode, 3, output);
      console.log(`pod kill: ${outage.value} ms until transfers succeeded again, replacement Ready ${ready.value} ms after the delete; ${lost.value} committed transfers lost`);
    } finally {
      await fake.stop();
      await ledger.stop();
    }
  });

  describe('what a run says when the fault cannot be made, and on the data tier (a short load: only the verdicts\' reasons and evidence are asserted)', () => {
    /** A run of `tags` on helm-default against a reference hub nothing stops. */
    async function faultRun(tags: string, setup: (fake: FakeKubeApi) => void, extra: Record<string, unknown> = {}) {
      const dir = await tempDir('kube-faults-e2e');
      const hub = new ReferenceDeployment(validateConfig({ embedded: { dataDir: join(dir, 'hub') } }));
      const urls = await hub.start();
      const fake = await (await FakeKubeApi.fromFixture('helm-default')).start();
      setup(fake);
      try {
        const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'));
        const run = await runInProcess({
          target: 'kubernetes', tier: 'helm', kubernetes: { kubeconfig }, ...extra,
          hub: { url: urls.hubUrl, adminUrl: urls.adminUrl }, callback: { port: await freePort() }, provision: { payee: { port: await freePort() } },
        }, { tags, loadProfile: QUICK_LOAD });
        return { ...run, fake };
      } finally {
        await fake.stop();
        await hub.stop();
      }
    }

    it('nothing matches the component (patterns the config replaced): NOT EVALUATED, saying what was looked for; nothing deleted', async () => {
      const { byId, fake, output } = await faultRun('@guarantee:HELM-RSL-01 or @guarantee:HELM-RSL-02', () => undefined,
        { components: { 'central-ledger': { names: ['^ledger-of-another-name$'], images: ['^registry\\.example/ledger:'] } } });
      for (const id of ['HELM-RSL-01', 'HELM-RSL-02']) {
        const verdict = byId[id]!;
        assert.equal(verdict.verdict, 'NOT_EVALUATED', output);
        assert.match(verdict.reason!, /broke nothing \(no pod of "centralledger" to delete in https:\/\/127\.0\.0\.1:\d+ \(context fake\): looked for running pods of central-ledger in every namespace: workload names matching \/\^ledger-of-another-name\$\/ or images matching \/\^registry\\\.example\\\/ledger:\/ \(config components\.central-ledger\)\)/);
      }
      assert.deepEqual(fake.deletedPods, []);
    });

    it('RBAC forbids deleting pods: NOT EVALUATED with the one line that says what to grant, no stack trace', async () => {
      const { byId, fake, output } = await faultRun('@guarantee:HELM-RSL-01', (api) => { api.podDeletesAllowed = false; });
      const rto = byId['HELM-RSL-01']!;
      assert.equal(rto.verdict, 'NOT_EVALUATED', output);
      assert.match(rto.reason!, /\(the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(context fake\) forbids deleting pod mojaloop\/centralledger-7d9f8b6c4-ax0q \(403 Forbidden: pods "centralledger-7d9f8b6c4-ax0q" is forbidden: User "system:serviceaccount:default:conformance" cannot delete resource "pods" in API group "" in the namespace "mojaloop"\); the resilience scenarios need delete on pods there \(docs\/kubernetes\.md, "Faults"\): grant it, or leave them out with --tags 'not @concern:resilience'\)/);
      assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
      assert.deepEqual(fake.deletedPods, []);
    });

    it('the data tier: the MySQL StatefulSet\'s pod is deleted and the RPO evidence says its data lived in the pod (persistence off)', async () => {
      const { byId, fake, output } = await faultRun('@guarantee:HELM-RSL-03', (api) => {
        api.onPodReplaced = (replacement) => api.markPodReady(replacement.metadata.namespace!, replacement.metadata.name);
      });
      assert.deepEqual(fake.deletedPods.map((p) => p.metadata.name), ['mysqldb-0']);
      const rpo = byId['HELM-RSL-03']!;
      assert.notEqual(rpo.verdict, 'FAIL', `${rpo.reason}\n${output}`);
      const lost = rpo.evidence.find((m) => m.name === 'committed transfers lost')!;
      assert.match(lost.source, /fault: pod mojaloop\/mysqldb-0 \(owner StatefulSet mysqldb; mysql mysqldb, matched by image docker\.io\/bitnami\/mysql:8\.0\.35-debian-11-r0 and workload name mysqldb\) deleted/);
      const kept = rpo.evidence.find((m) => m.name === 'data the faulted part kept')!;
      assert.match(String(kept.value), /^data tier \(mysql\) with no persistent volume claim: its data lived in the pod's own filesystem and went with it/);
    });
  });
});
