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

  it('marks any guarantee measured under a reduced load as below full threshold, whatever its tags', () => {
    const resilience = outcome({ tags: ['@concern:resilience'], evidence: [
      { type: 'reduced-load', asked: { ratePerSecond: 100, durationMs: 600_000 }, offered: { ratePerSecond: 20, durationMs: 60_000 } },
      { type: 'measurements', measurements: [ok] },
    ] });
    const verdict = judge(resilience, { profile: 'smoke', profileCertifies: false });
    assert.equal(verdict.verdict, 'PASS');
    assert.equal(verdict.fullThreshold, false);
  });

  it('marks an SLA guarantee under the smoke profile as judged below full threshold', () => {
    const sla = outcome({ tags: ['@sla'], evidence: [{ type: 'measurements', measurements: [ok] }] });
    assert.equal(judge(sla, { profile: 'smoke', profileCertifies: false }).fullThreshold, false);
    assert.equal(judge(sla, { profile: 'certify', profileCertifies: true }).fullThreshold, true);
  });
});
