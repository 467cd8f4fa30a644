import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadOffer, StartedEnvironment } from '../../src/environment/environment.ts';
import { LoadSession } from '../../src/probes/load-session.ts';
import type { LoadSummary } from '../../src/probes/sla-probe.ts';

const summary = (offer: LoadOffer): LoadSummary => ({
  source: 'fake runner', offeredRate: offer.ratePerSecond, windowMs: offer.durationMs, achievedRate: offer.ratePerSecond, droppedIterations: 0,
  phases: { lookups: { count: 1, failures: 0, percentilesMs: {} }, quotes: { count: 1, failures: 0, percentilesMs: {} }, transfers: { count: 1, failures: 0, percentilesMs: {} } },
});

describe('LoadSession', () => {
  it('caps the load under smoke, says so, and runs one load for every scenario asking the same', async () => {
    const offers: LoadOffer[] = [];
    const environment = { kind: 'embedded', loadRunner: { run: async (offer: LoadOffer) => { offers.push(offer); return summary(offer); } } } as unknown as StartedEnvironment;
    const session = new LoadSession(environment, 'smoke', new Map());
    const first = await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    assert.equal(offers.length, 1);
    assert.ok(first.kind === 'measured' && first.reduced);
    assert.deepEqual(first.kind === 'measured' && first.offered, { ratePerSecond: 20, durationMs: 60_000 });
  });

  it('is not evaluated without a runner, or when a fault is asked for and the target cannot inject one', async () => {
    const none = new LoadSession({ kind: 'url' } as unknown as StartedEnvironment, 'certify', new Map());
    assert.deepEqual(await none.run({ ratePerSecond: 1, durationMs: 1 }), { kind: 'not-evaluated', reason: 'target url has no load runner' });
    const noFaults = new LoadSession({ kind: 'url', loadRunner: { run: async (o: LoadOffer) => summary(o) } } as unknown as StartedEnvironment, 'certify', new Map());
    const outcome = await noFaults.run({ ratePerSecond: 1, durationMs: 1 }, 'centralledger');
    assert.equal(outcome.kind, 'not-evaluated');
  });
});
