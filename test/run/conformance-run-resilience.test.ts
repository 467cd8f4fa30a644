import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadProfile } from '../../src/load/load-profiles.ts';
import { runInProcess } from '../helpers/run.ts';

/** Long enough for the recovery check (five healthy seconds in a row after the hub comes back) even when a busy machine takes seconds to restart it. */
const RESILIENCE_LOAD: LoadProfile = {
  name: 'test-resilience', description: 'sixteen seconds of load with the hub killed halfway', maxRatePerSecond: 20, maxDurationMs: 16_000,
  warmupMs: 1000, drainMs: 2000, intervalMs: 1000, certifies: false,
};

describe('ConformanceRun on the embedded target, the hub killed mid-load', () => {
  it('measures RTO and RPO: the hub restarted on its ledger serves again and lost no committed transfer', async () => {
    const { exitCode, byId, output } = await runInProcess({ tier: 'helm' }, { tags: '@concern:resilience', loadProfile: RESILIENCE_LOAD });
    assert.equal(exitCode, 0, output);
    const rto = byId['HELM-RSL-01']!;
    assert.equal(rto.verdict, 'PASS', rto.reason ?? '');
    assert.match(rto.measured!, /time until transfers succeed again: \d+ ms/);
    assert.ok(rto.evidence.every((m) => /the embedded hub \(playing centralledger\) was killed at once and restarted on its ledger/.test(m.source)));
    const rpo = byId['HELM-RSL-02']!;
    assert.equal(rpo.verdict, 'PASS', rpo.reason ?? '');
    assert.match(rpo.measured!, /committed transfers lost: 0 of [1-9]\d*/);
  });
});
