import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { validateConfig, validateConfigFor } from '../../src/config/load-config.ts';
import type { ConfigFor } from '../../src/config/schema.ts';
import { EmbeddedEnvironment } from '../../src/environment/embedded/embedded-environment.ts';
import type { ConformanceEnvironment, Providers, StartedEnvironment } from '../../src/environment/environment.ts';
import type { DeploymentInventory } from '../../src/inventory/deployment-inventory.ts';
import { ConformanceRun } from '../../src/run/conformance-run.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { scriptedRunner } from '../helpers/load.ts';

/** The embedded target plus a capability a later target will bring (an inventory), supplied by the test. */
class EmbeddedPlus implements ConformanceEnvironment {
  readonly kind = 'embedded' as const;
  readonly #config: ConfigFor<'embedded'>;
  readonly #extra: Providers;

  constructor(config: ConfigFor<'embedded'>, extra: Providers) {
    this.#config = config;
    this.#extra = extra;
  }

  describeTarget(): string {
    return 'embedded, with an inventory the test supplies';
  }

  async start(): Promise<StartedEnvironment> {
    const inner = await new EmbeddedEnvironment(this.#config).start();
    return {
      kind: inner.kind, hubUrl: inner.hubUrl, callbackRouteUnproven: false, callbackExposure: inner.callbackExposure,
      provides: { ...inner.provides, ...this.#extra },
      describe: () => inner.describe(), whyMissing: (c) => inner.whyMissing(c),
      connectPayer: (payer) => inner.connectPayer(payer), stop: () => inner.stop(),
    };
  }
}

async function runSla(profile: 'smoke' | 'certify', transfersP99Ms: number) {
  const config = validateConfig({ tier: 'helm', profile, reportsDir: await tempDir('reports') });
  const { runner, requests } = scriptedRunner({ lookups: 80, quotes: 250, transfers: transfersP99Ms });
  const out = new PassThrough();
  out.resume();
  const { result } = await new ConformanceRun(config, { out, loadRunner: runner, tags: '@concern:sla' }).execute();
  // What the runner was asked to hold as steady state: the whole run less the profile's warm-up and drain.
  const offers = requests.map((r) => ({ ratePerSecond: r.ratePerSecond, durationMs: r.durationMs - r.warmupMs - r.drainMs }));
  return { result, offers, sla: result.guarantees.filter((g) => g.concern === 'sla') };
}

const fixtureInventory = (name: string) => async () =>
  JSON.parse(await readFile(join(ROOT, 'fixtures', 'inventories', name), 'utf8')) as DeploymentInventory;

describe('Miniloop deployment guarantees wired end to end on a mini-loop inventory (k3s)', () => {
  it('reports the ingress controller the installer deploys as a failed "no ingress" guarantee, with evidence', async () => {
    const config = validateConfigFor('embedded', { tier: 'miniloop', reportsDir: await tempDir('reports') });
    const out = new PassThrough();
    out.resume();
    const { result, exitCode } = await new ConformanceRun(config, { out, environment: new EmbeddedPlus(config, { 'kubernetes-inventory': { inventory: fixtureInventory('miniloop-k3s.json') } }), tags: '@concern:deployment' }).execute();
    const verdicts = Object.fromEntries(result.guarantees.map((g) => [g.id, g]));
    assert.equal(verdicts['ML-DEP-05']!.verdict, 'FAIL');
    assert.match(verdicts['ML-DEP-05']!.reason!, /ingress components was .*ingress-nginx-controller \(image registry\.k8s\.io\/ingress-nginx\/controller:v1\.9\.4\).*expected none \(the seed says this tier has none\)/);
    assert.ok(verdicts['ML-DEP-05']!.evidence.length > 0 && verdicts['ML-DEP-05']!.evidence.every((m) => m.source.includes('mini-loop v5 on k3s')));
    // mini-loop's default distribution is k3s; the seed says MicroK8s: a mismatch, with the kubelet version as evidence.
    assert.equal(verdicts['ML-DEP-02']!.verdict, 'FAIL');
    assert.match(verdicts['ML-DEP-02']!.reason!, /Kubernetes distribution was k3s \(node miniloop: kubelet v1\.27\.16\+k3s1\), expected one of microk8s/);
    for (const id of ['ML-DEP-01', 'ML-DEP-03', 'ML-DEP-04', 'ML-DEP-06', 'ML-DEP-07', 'ML-DEP-08', 'ML-DEP-09']) {
      assert.equal(verdicts[id]!.verdict, 'PASS', `${id}: ${verdicts[id]!.reason}`);
    }
    assert.equal(exitCode, 1);
    assert.equal(result.certificate.status, 'NOT_CERTIFIED');
  });
});

describe('SLA guarantees wired end to end with a scripted load runner', () => {
  it('certify: offers the full load once for all five SLA scenarios and judges each threshold from the feature text', async () => {
    const { offers, sla } = await runSla('certify', 1200);
    assert.deepEqual(offers, [{ ratePerSecond: 1000, durationMs: 3_600_000 }]);
    assert.deepEqual(sla.map((g) => [g.id, g.verdict]), [
      ['HELM-SLA-01', 'PASS'], ['HELM-SLA-02', 'PASS'], ['HELM-SLA-03', 'PASS'], ['HELM-SLA-04', 'FAIL'], ['HELM-SLA-05', 'PASS'],
    ]);
    const clearing = sla.find((g) => g.id === 'HELM-SLA-04')!;
    assert.match(clearing.reason!, /^transfers completed successfully within 1000 ms \(share of attempts, steady state\) was 0\.000% of 3600000 attempts \(0 within 1000 ms\), expected ≥ 99%$/);
    assert.ok(sla.length > 0 && sla.every((g) => g.fullThreshold));
  });

  it('smoke: caps the load; what would pass is NOT EVALUATED with what was held, what fails is FAIL; never certifies', async () => {
    const { result, offers, sla } = await runSla('smoke', 300);
    assert.deepEqual(offers, [{ ratePerSecond: 20, durationMs: 60_000 }]);
    assert.ok(sla.length > 0 && sla.every((g) => g.verdict === 'NOT_EVALUATED' && !g.fullThreshold), JSON.stringify(sla.map((g) => [g.id, g.verdict])));
    const throughput = sla.find((g) => g.id === 'HELM-SLA-01')!;
    assert.match(throughput.threshold!, /^achieved throughput \(successful P2P transfers over the steady-state window\) ≥ 20 transfers\/s; /);
    assert.match(throughput.reason!, /^held 20 transfers\/s for 60 s \(profile smoke\): achieved throughput \(successful P2P transfers over the steady-state window\): 20 transfers\/s; .*; the guarantee asks 1000 transfers\/s for 1 h, so a pass at this load proves nothing about it$/);
    assert.deepEqual(sla[0]!.reducedLoad, { profile: 'smoke', asked: { ratePerSecond: 1000, durationMs: 3_600_000 }, offered: { ratePerSecond: 20, durationMs: 60_000 } });
    assert.equal(result.summary.passed, 0, 'a pass under a reduced load is not counted as passed');
    assert.equal(result.certificate.status, 'INCOMPLETE');
    assert.doesNotMatch(result.certificate.statement, /passed under profile smoke/);

    const slow = await runSla('smoke', 1200);
    const clearing = slow.sla.find((g) => g.id === 'HELM-SLA-04')!;
    assert.equal(clearing.verdict, 'FAIL');
    assert.match(clearing.reason!, /was 0\.000% of 1200 attempts .*expected ≥ 99%; measured at 20 transfers\/s for 60 s \(profile smoke\), the guarantee asks 1000 transfers\/s for 1 h$/);
    assert.equal(slow.result.certificate.status, 'NOT_CERTIFIED');
  });
});
