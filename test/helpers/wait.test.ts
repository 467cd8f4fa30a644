import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from './wait.ts';

describe('waitFor (the bound every wait in a test has)', () => {
  it('returns what the condition returned once it holds', async () => {
    let checks = 0;
    assert.equal(await waitFor(() => (++checks >= 3 ? `after ${checks}` : undefined), { timeoutMs: 1000, what: 'three checks' }), 'after 3');
  });

  it('fails after its deadline naming what it waited for and the last state, instead of hanging', async () => {
    const started = Date.now();
    await assert.rejects(waitFor(() => false, { timeoutMs: 50, intervalMs: 5, what: 'a condition that never holds', describe: () => '0 of 1 done' }),
      { message: 'timed out after 50 ms waiting for a condition that never holds (0 of 1 done)' });
    assert.ok(Date.now() - started < 1000);
  });
});
