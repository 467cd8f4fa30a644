import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUICK_LOAD, runInProcess } from '../helpers/run.ts';

const SLA = ['HELM-SLA-01', 'HELM-SLA-02', 'HELM-SLA-03', 'HELM-SLA-04', 'HELM-SLA-05'];

describe('SLA guarantees under real load from the builtin runner (embedded target)', () => {
  it('evaluates every HELM SLA guarantee with measured TPS, per-phase p99 and success ratio; reduced load never certifies', async () => {
    const { result, output, byId } = await runInProcess({ tier: 'helm' }, { tags: '@concern:sla', loadProfile: QUICK_LOAD });
    for (const id of SLA) {
      assert.notEqual(byId[id]!.verdict, 'NOT_EVALUATED', `${id}: ${byId[id]!.reason}`);
      assert.deepEqual(byId[id]!.reducedLoad, { profile: 'test-quick', asked: { ratePerSecond: 1000, durationMs: 3_600_000 }, offered: { ratePerSecond: 20, durationMs: 2000 } });
      assert.ok(byId[id]!.evidence.every((m) => /^builtin runner, profile test-quick, 20 P2P transfers\/s offered for 4 s, steady state 1 s–3 s$/.test(m.source)), id);
    }
    for (const id of SLA) assert.equal(byId[id]!.verdict, 'PASS', `${id}: ${byId[id]!.reason}`);
    assert.match(byId['HELM-SLA-01']!.measured!, /^achieved throughput \(successful P2P transfers over the steady-state window\): [\d.]+ transfers\/s; slowest 2 s interval: .*; dropped iterations: 0$/);
    assert.match(byId['HELM-SLA-02']!.measured!, /^p99 lookups latency \(successful lookups, steady state\): \d+ ms; lookups completed successfully: 100\.000% of 40$/);
    assert.match(output, /under reduced load: profile test-quick offered 20 transfers\/s for 2 s, not the guarantee's 1000 transfers\/s for 1 h/);
    assert.match(output, /measured by: builtin runner, profile test-quick/);
    assert.equal(result.certificate.status, 'INCOMPLETE');
  });

  it('fails the latency guarantees, naming the phase and the measured p99, when the payee answers after more than 1 s', async () => {
    const { byId } = await runInProcess({ tier: 'helm', embedded: { payeeDelayMs: 1100 } }, { tags: '@guarantee:HELM-SLA-02 or @guarantee:HELM-SLA-03 or @guarantee:HELM-SLA-04', loadProfile: QUICK_LOAD });
    for (const [id, phase] of [['HELM-SLA-02', 'lookups'], ['HELM-SLA-03', 'quotes'], ['HELM-SLA-04', 'transfers']] as const) {
      assert.equal(byId[id]!.verdict, 'FAIL', id);
      assert.match(byId[id]!.reason!, new RegExp(`^p99 ${phase} latency \\(successful ${phase}, steady state\\) was 1\\d{3} ms, expected < 1000 ms$`));
    }
  });
});
