import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselineProblems, baselineSelections, caught, FAULT_CASES, runWithFaults } from '../../src/run/fault-matrix.ts';
import type { LoadProfile } from '../../src/load/load-profiles.ts';
import { QUICK_LOAD } from '../helpers/run.ts';

/**
 * The fault-free load must be held on a machine busy with the fault runs beside it: half the rate
 * and a longer warm-up (connections opened, code compiled) before the judged window, which a
 * stall of a second would otherwise fail — rightly, at the 1 s the SLA allows.
 */
const BASELINE_LOAD: LoadProfile = { ...QUICK_LOAD, name: 'test-baseline', description: 'a light load held after a 3 s warm-up', maxRatePerSecond: 10, warmupMs: 3000 };

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

  it('the same scenarios PASS with no fault — or, under the reduced load, are NOT EVALUATED with every measurement within threshold', async () => {
    for (const selection of baselineSelections()) {
      const outcome = await runWithFaults(selection.tier, selection.tags, {}, selection.load ? { loadProfile: BASELINE_LOAD } : {});
      assert.deepEqual(baselineProblems(outcome), [], selection.tags);
      if (selection.load) assert.ok(outcome.heldUnderReducedLoad.length >= 6, `${selection.tags}: ${outcome.heldUnderReducedLoad.join(', ')}`);
      else assert.ok(outcome.passed.length >= 19, `${selection.tags}: ${outcome.passed.join(', ')}`);
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
