import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from '../../src/evidence/evidence.ts';
import { judge, type ScenarioOutcome } from '../../src/verdict/guarantee-verdict.ts';

const ok: Measurement = { name: 'transfer state', value: 'COMMITTED', threshold: '= COMMITTED', ok: true, source: 'PUT /transfers/1' };
const bad: Measurement = { name: 'lookup error code', value: '3200', threshold: '= 3204', ok: false, source: 'PUT /parties/MSISDN/1/error' };

const outcome = (over: Partial<ScenarioOutcome>): ScenarioOutcome => ({
  id: 'CTH-FUN-01', title: 'golden path', tags: ['@concern:functional'], location: 'features/x.feature:3', status: 'PASSED', evidence: [], ...over,
});

describe('judge', () => {
  it('passes a passed scenario with measurements, naming measured value and threshold', () => {
    const verdict = judge(outcome({ evidence: [{ type: 'measurements', measurements: [ok] }] }), { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'PASS');
    assert.equal(verdict.measured, 'transfer state: COMMITTED');
    assert.equal(verdict.threshold, 'transfer state = COMMITTED');
    assert.equal(verdict.reason, null);
    assert.equal(verdict.concern, 'functional');
  });

  it('never passes a guarantee that measured nothing', () => {
    const verdict = judge(outcome({ evidence: [] }), { profile: 'certify', profileCertifies: true });
    assert.equal(verdict.verdict, 'NOT_EVALUATED');
    assert.match(verdict.reason!, /recorded no measurement/);
  });

  it('fails on an out-of-threshold measurement and says what was expected', () => {
    const verdict = judge(outcome({ status: 'FAILED', evidence: [{ type: 'measurements', measurements: [ok, bad] }] }), { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'FAIL');
    assert.equal(verdict.reason, 'lookup error code was 3200, expected = 3204');
  });

  it('fails a passed scenario that still carries a failed measurement', () => {
    assert.equal(judge(outcome({ evidence: [{ type: 'measurements', measurements: [bad] }] }), { profile: 'smoke', profileCertifies: false }).verdict, 'FAIL');
  });

  it('does not blame the hub for an error that is no measurement: NOT_EVALUATED, with the error as the reason', () => {
    const verdict = judge(outcome({ status: 'FAILED', message: 'connect ECONNREFUSED', errorType: 'TypeError' }), { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'NOT_EVALUATED');
    assert.equal(verdict.reason, 'could not be measured: connect ECONNREFUSED');
    const asserted = judge(outcome({ status: 'FAILED', message: 'expected 3204', errorType: 'AssertionError' }), { profile: 'smoke', profileCertifies: false });
    assert.equal(asserted.verdict, 'FAIL');
  });

  it('reports a missing capability as NOT_EVALUATED with its reason', () => {
    const verdict = judge(outcome({ status: 'SKIPPED', evidence: [{ type: 'not-evaluated', reason: 'needs a Kubernetes inventory', capability: 'kubernetes-inventory' }] }), { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'NOT_EVALUATED');
    assert.equal(verdict.reason, 'needs a Kubernetes inventory');
  });

  it('reports undefined steps and unrun scenarios as NOT_EVALUATED, never PASS', () => {
    assert.equal(judge(outcome({ status: 'UNDEFINED' }), { profile: 'smoke', profileCertifies: false }).verdict, 'NOT_EVALUATED');
    const interrupted = judge(outcome({ status: 'NOT_RUN', evidence: [{ type: 'measurements', measurements: [ok] }] }), { profile: 'smoke', profileCertifies: false, interrupted: true });
    assert.equal(interrupted.verdict, 'NOT_EVALUATED');
    assert.match(interrupted.reason!, /interrupted/);
    assert.equal(interrupted.measured, 'transfer state: COMMITTED', 'what was measured before the interruption is kept');
  });

  const reducedLoad = { type: 'reduced-load' as const, asked: { ratePerSecond: 1000, durationMs: 3_600_000 }, offered: { ratePerSecond: 20, durationMs: 60_000 } };
  const share: Measurement = { name: 'lookups completed successfully within 1000 ms', value: '100.000% of 1200 attempts', threshold: '≥ 99%', ok: true, source: 'builtin runner, profile smoke' };

  it('does not evaluate a pass under a reduced load, whatever its tags, and says what was held and what the guarantee asks', () => {
    for (const status of ['PASSED', 'SKIPPED'] as const) {
      const verdict = judge(outcome({ tags: ['@concern:sla', '@sla'], status, evidence: [reducedLoad, { type: 'measurements', measurements: [share] }] }), { profile: 'smoke', profileCertifies: false });
      assert.equal(verdict.verdict, 'NOT_EVALUATED', status);
      assert.equal(verdict.reason, 'held 20 transfers/s for 60 s (profile smoke): lookups completed successfully within 1000 ms: 100.000% of 1200 attempts; '
        + 'the guarantee asks 1000 transfers/s for 1 h, so a pass at this load proves nothing about it');
      assert.equal(verdict.measured, 'lookups completed successfully within 1000 ms: 100.000% of 1200 attempts');
      // Never read as the guarantee's own threshold: the reduced load and the asked one are named beside it.
      assert.equal(verdict.threshold, 'lookups completed successfully within 1000 ms ≥ 99% — measured under the load profile smoke offered (20 transfers/s for 60 s); the guarantee asks 1000 transfers/s for 1 h');
      assert.equal(verdict.fullThreshold, false);
    }
    const resilience = judge(outcome({ tags: ['@concern:resilience'], evidence: [{ ...reducedLoad, asked: { ratePerSecond: 100, durationMs: 600_000 } }, { type: 'measurements', measurements: [ok] }] }), { profile: 'smoke', profileCertifies: false });
    assert.equal(resilience.verdict, 'NOT_EVALUATED');
    assert.match(resilience.reason!, /the guarantee asks 100 transfers\/s for 10 min/);
  });

  it('fails a failure under a reduced load, naming the load it was measured at and nothing that excuses it', () => {
    const slow: Measurement = { ...share, value: '0.000% of 1200 attempts', ok: false };
    const verdict = judge(outcome({ tags: ['@sla'], status: 'FAILED', errorType: 'AssertionError', evidence: [reducedLoad, { type: 'measurements', measurements: [slow] }] }), { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'FAIL');
    assert.equal(verdict.reason, 'lookups completed successfully within 1000 ms was 0.000% of 1200 attempts, expected ≥ 99%; '
      + 'measured at 20 transfers/s for 60 s (profile smoke), the guarantee asks 1000 transfers/s for 1 h');
    assert.doesNotMatch(verdict.reason!, /not a verdict/);
  });

  it('still does not evaluate a reduced-load scenario that could not measure', () => {
    const verdict = judge(outcome({ status: 'SKIPPED', evidence: [reducedLoad, { type: 'not-evaluated', reason: 'the run ended early' }] }), { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'NOT_EVALUATED');
    assert.equal(verdict.reason, 'the run ended early');
  });

  it('marks an SLA guarantee under the smoke profile as judged below full threshold', () => {
    const sla = outcome({ tags: ['@sla'], evidence: [{ type: 'measurements', measurements: [ok] }] });
    assert.equal(judge(sla, { profile: 'smoke', profileCertifies: false }).fullThreshold, false);
    assert.equal(judge(sla, { profile: 'certify', profileCertifies: true }).fullThreshold, true);
  });
});
