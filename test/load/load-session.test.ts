import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfile } from '../../src/load/load-profiles.ts';
import { LoadSession } from '../../src/load/load-session.ts';
import { scriptedRunner } from '../helpers/load.ts';

describe('LoadSession', () => {
  it('caps the load under smoke, cuts the window by the profile, and runs one load for every scenario asking the same', async () => {
    const { runner, requests } = scriptedRunner({ lookups: 10, quotes: 10, transfers: 10 });
    const session = new LoadSession({ targetKind: 'embedded', profile: loadProfile('smoke'), runner, confirmCommitted: async () => true });
    const first = await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    assert.equal(requests.length, 1);
    // 60 s of steady state judged, the warm-up before it and the drain after it.
    assert.deepEqual({ ...requests[0], fault: undefined, signal: undefined }, { ratePerSecond: 20, durationMs: 75_000, flow: 'p2p', profile: 'smoke', warmupMs: 10_000, drainMs: 5000, intervalMs: 10_000, fault: undefined, signal: undefined });
    assert.ok(first.kind === 'measured');
    assert.deepEqual(first.offered, { ratePerSecond: 20, durationMs: 60_000 });
    assert.deepEqual(first.asked, { ratePerSecond: 1000, durationMs: 3_600_000 });
  });

  it('offers a full hour of steady state for "1 hour" under certify, warm-up and drain on top, and injects a fault mid-way through it', async () => {
    const { runner, requests } = scriptedRunner({ lookups: 10, quotes: 10, transfers: 10 });
    const faults = { killOne: async (component: string) => `killed ${component}` };
    const session = new LoadSession({ targetKind: 'embedded', profile: loadProfile('certify'), runner, faults, confirmCommitted: async () => true });
    await session.run({ ratePerSecond: 1000, durationMs: 3_600_000 });
    assert.equal(requests[0]!.durationMs, 300_000 + 3_600_000 + 120_000);
    const outcome = await session.run({ ratePerSecond: 100, durationMs: 600_000 }, 'centralledger');
    assert.ok(outcome.kind === 'measured');
    assert.equal(requests[1]!.durationMs, 300_000 + 600_000 + 120_000);
    assert.equal(requests[1]!.fault!.atMs, 300_000 + 300_000);
    assert.deepEqual(await requests[1]!.fault!.inject(), { broke: 'killed centralledger', atMs: 600_000 });
  });

  it('after a load with a fault, asks the injector what it saw of the recovery and keeps it with the fault; a failing account is said, not thrown', async () => {
    const faulting = (inner: ReturnType<typeof scriptedRunner>['runner']) => ({
      ...inner,
      run: async (request: Parameters<typeof inner.run>[0]) => ({ ...(await inner.run(request)), fault: await request.fault!.inject() }),
    });
    const asked: string[] = [];
    const faults = {
      killOne: async (component: string) => `pod of ${component}`,
      aftermath: async (broke: string) => {
        asked.push(broke);
        return { replacementReadyMs: 4200, replacement: 'pod p2 seen Ready', data: 'stateless' };
      },
    };
    const session = new LoadSession({ targetKind: 'kubernetes', profile: loadProfile('smoke'), runner: faulting(scriptedRunner({ lookups: 1, quotes: 1, transfers: 1 }).runner), faults, confirmCommitted: async () => true });
    const outcome = await session.run({ ratePerSecond: 20, durationMs: 60_000 }, 'centralledger');
    assert.ok(outcome.kind === 'measured');
    assert.deepEqual(asked, ['pod of centralledger']);
    assert.deepEqual(outcome.summary.fault, { broke: 'pod of centralledger', atMs: 40_000, aftermath: { replacementReadyMs: 4200, replacement: 'pod p2 seen Ready', data: 'stateless' } });

    const failing = new LoadSession({
      targetKind: 'kubernetes', profile: loadProfile('smoke'), runner: faulting(scriptedRunner({ lookups: 1, quotes: 1, transfers: 1 }).runner), confirmCommitted: async () => true,
      faults: { ...faults, aftermath: async () => { throw new Error('connection refused'); } },
    });
    const failed = await failing.run({ ratePerSecond: 20, durationMs: 60_000 }, 'centralledger');
    assert.ok(failed.kind === 'measured');
    assert.deepEqual(failed.summary.fault!.aftermath, { replacementReadyMs: undefined, replacement: 'not observed: connection refused', data: 'not known' });
  });

  it('asks the hub back for the committed sample and reports what it did not confirm', async () => {
    const { runner } = scriptedRunner({ lookups: 10, quotes: 10, transfers: 10 });
    const sampling = { ...runner, run: async (...args: Parameters<typeof runner.run>) => ({ ...(await runner.run(...args)), committedSample: ['t1', 't2', 't3'] }) };
    const session = new LoadSession({ targetKind: 'embedded', profile: loadProfile('smoke'), runner: sampling, confirmCommitted: async (id) => (id === 't2' ? 'is ABORTED at the hub' : true) });
    const outcome = await session.run({ ratePerSecond: 20, durationMs: 60_000 });
    assert.ok(outcome.kind === 'measured');
    assert.deepEqual(outcome.validity, { checked: 3, confirmed: 2, problems: ['transfer t2 is ABORTED at the hub'] });
  });

  it('is not evaluated without a runner, or when a fault is asked for and the target cannot inject one', async () => {
    const none = new LoadSession({ targetKind: 'url', profile: loadProfile('certify'), runner: undefined, confirmCommitted: async () => true });
    assert.deepEqual(await none.run({ ratePerSecond: 1, durationMs: 1 }), { kind: 'not-evaluated', reason: 'target url has no load runner' });
    const { runner } = scriptedRunner({ lookups: 1, quotes: 1, transfers: 1 });
    const noFaults = new LoadSession({ targetKind: 'url', profile: loadProfile('certify'), runner, confirmCommitted: async () => true });
    assert.deepEqual(await noFaults.run({ ratePerSecond: 1, durationMs: 1 }, 'centralledger'),
      { kind: 'not-evaluated', reason: 'target url cannot inject faults, so losing "centralledger" cannot be measured' });
  });
});
