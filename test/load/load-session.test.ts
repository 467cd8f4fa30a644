import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadOffer, LoadSummary } from '../../src/load/load-runner.ts';
import { LoadSession } from '../../src/load/load-session.ts';

const summary = (offer: LoadOffer): LoadSummary => ({
  source: 'fake runner', offeredRate: offer.ratePerSecond, windowMs: offer.durationMs, achievedRate: offer.ratePerSecond, droppedIterations: 0,
  phases: { lookups: { count: 1, failures: 0, percentilesMs: {} }, quotes: { count: 1, failures: 0, percentilesMs: {} }, transfers: { count: 1, failures: 0, percentilesMs: {} } },
});

describe('LoadSession', () => {
  it('caps the load under smoke, says so, and runs one load for every scenario asking the same', async () => {
    const offers: LoadOffer[] = [];
    const session = new LoadSession({ kind: 'embedded', loadRunner: { run: async (offer) => { offers.push(offer); return summary(offer); } } }, 'smoke');
    const first = await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    assert.equal(offers.length, 1);
    assert.ok(first.kind === 'measured');
    assert.deepEqual(first.offered, { ratePerSecond: 20, durationMs: 60_000 });
    assert.deepEqual(first.asked, { ratePerSecond: 1000, durationMs: 3_600_000 });
  });

  it('is not evaluated without a runner, or when a fault is asked for and the target cannot inject one', async () => {
    const none = new LoadSession({ kind: 'url' }, 'certify');
    assert.deepEqual(await none.run({ ratePerSecond: 1, durationMs: 1 }), { kind: 'not-evaluated', reason: 'target url has no load runner' });
    const noFaults = new LoadSession({ kind: 'url', loadRunner: { run: async (o) => summary(o) } }, 'certify');
    const outcome = await noFaults.run({ ratePerSecond: 1, durationMs: 1 }, 'centralledger');
    assert.deepEqual(outcome, { kind: 'not-evaluated', reason: 'target url cannot inject faults, so losing "centralledger" cannot be measured' });
  });
});
