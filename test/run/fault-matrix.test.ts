import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineSelections, caught, FAULT_CASES, runWithFaults } from '../../src/run/fault-matrix.ts';
import { QUICK_LOAD } from '../helpers/run.ts';

// `npm run faults` runs the same cases (load on the smoke profile) and 20 fault-free runs in a row.
// Runs are independent (each its own hub and reports folder) and mostly wait on timeouts: four at a time.
describe('every fault of the embedded hub makes the guarantees it breaks FAIL, naming the symptom', { concurrency: 4 }, () => {
  for (const fault of FAULT_CASES) {
    it(`--fault ${fault.fault}: ${fault.mustFail.join(', ')} fail`, async () => {
      const outcome = await runWithFaults(fault.tier, fault.tags, fault.faults, { ...(fault.load ? { loadProfile: QUICK_LOAD } : {}), ...(fault.config ? { config: fault.config } : {}) });
      assert.ok(caught(fault, outcome), `${fault.breaks}: expected ${fault.mustFail.join(', ')} to fail matching ${fault.symptom}, got ${JSON.stringify(outcome.failed)}`);
      assert.equal(outcome.exitCode, 1);
    });
  }

  it('the same scenarios PASS with no fault', async () => {
    for (const selection of baselineSelections()) {
      const outcome = await runWithFaults(selection.tier, selection.tags, {}, selection.load ? { loadProfile: QUICK_LOAD } : {});
      assert.deepEqual(outcome.failed, [], selection.tags);
      assert.deepEqual(outcome.notEvaluated, [], selection.tags);
      assert.ok(outcome.passed.length >= (selection.load ? 5 : 17), `${selection.tags}: ${outcome.passed.join(', ')}`);
    }
  });

  it('the functional scenarios PASS against a hub answering in FSPIOP 2.0 as current Mojaloop does, our payer sending 1.1 or 2.0', async () => {
    for (const version of ['1.1', '2.0'] as const) {
      const outcome = await runWithFaults('core-test-harness', '@concern:functional and @needs:fspiop-api', {}, { config: { fspiopVersion: '2.0', fspiop: { version } } });
      assert.deepEqual(outcome.failed, [], version);
      assert.deepEqual(outcome.notEvaluated, [], version);
      assert.equal(outcome.passed.length, 19, `${version}: ${outcome.passed.join(', ')}`);
    }
  });
});
