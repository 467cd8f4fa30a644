import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineProblems } from '../../src/run/fault-matrix.ts';

// The runs themselves (each fault against the guarantees that must catch it) are in fault-matrix.e2e.test.ts.
describe('the fault matrix\'s fault-free baseline', () => {
  it('counts as a baseline problem a failure, a guarantee not evaluated for another reason than a reduced load it held, and a run that showed nothing', () => {
    const clean = { exitCode: 3, failed: [], passed: [], notEvaluated: ['HELM-SLA-01'], heldUnderReducedLoad: ['HELM-SLA-01'] };
    assert.deepEqual(baselineProblems(clean), []);
    assert.deepEqual(baselineProblems({ ...clean, notEvaluated: ['HELM-SLA-01', 'HELM-SLA-02'] }), ['HELM-SLA-02 not evaluated']);
    assert.deepEqual(baselineProblems({ ...clean, failed: [{ id: 'HELM-SLA-04', reason: 'slow' }] }), ['HELM-SLA-04 failed (slow)']);
    assert.deepEqual(baselineProblems({ ...clean, notEvaluated: [], heldUnderReducedLoad: [] }), ['nothing was evaluated']);
  });
});
