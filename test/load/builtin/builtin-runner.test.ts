import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Exchange } from '../../../src/fspiop/payer-dfsp.ts';
import { BuiltinLoadRunner } from '../../../src/load/builtin/builtin-runner.ts';
import type { TransferDriver } from '../../../src/load/builtin/checked-transfer.ts';
import { completedWithin, type LoadRequest, type LoadSummary } from '../../../src/load/load-runner.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';

const fulfilment = randomBytes(32).toString('base64url');
const condition = createHash('sha256').update(Buffer.from(fulfilment, 'base64url')).digest('base64url');
const parties = { payer: { type: 'MSISDN' as const, id: '1' }, payee: { type: 'MSISDN' as const, id: '2' }, payeeFsp: 'payeefsp', amount: { amount: '1', currency: 'USD' } };

type Answer = { ms: number; body?: unknown; error?: string };

/** A payer driver whose hub answers each phase after a delay on the manual clock, as `answer` says for each iteration. */
function scriptedDriver(clock: ManualClock, answer: (phase: 'lookup' | 'quote' | 'transfer', n: number) => Answer): TransferDriver & { started: number } {
  const count = { lookup: 0, quote: 0, transfer: 0 };
  const exchange = (phase: 'lookup' | 'quote' | 'transfer', success: unknown, requestBody?: unknown) => {
    const { ms, body, error } = answer(phase, count[phase]++);
    return new Promise<Exchange>((resolve) => clock.setTimeout(() => resolve({
      operation: phase, method: phase === 'lookup' ? 'GET' : 'POST', url: 'http://hub', path: '/', requestHeaders: {}, correlationKey: phase, requestBody, startedAt: '', timedOut: false,
      ack: { status: 202, body: '', ms: 1 },
      callback: { key: phase, kind: error ? 'error' : 'success', path: '/', headers: {}, receivedAt: 0, body: error ? { errorInformation: { errorCode: error, errorDescription: 'x' } } : body ?? success },
    }), ms));
  };
  const driver = {
    started: 0,
    lookupParty: () => {
      driver.started += 1;
      return exchange('lookup', { party: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '2', fspId: 'payeefsp' } } });
    },
    requestQuote: () => exchange('quote', { transferAmount: { amount: '1', currency: 'USD' }, expiration: '2030-01-01T00:00:00.000Z', ilpPacket: 'AYIB', condition }),
    prepareTransfer: () => exchange('transfer', { transferState: 'COMMITTED', fulfilment }, { transferId: crypto.randomUUID() }),
  };
  return driver;
}

/** Moves the manual clock in 1 ms steps, letting promise continuations run between steps, until the run ends (ten manual minutes at most). */
async function drive(clock: ManualClock, running: Promise<LoadSummary>): Promise<LoadSummary> {
  let done = false;
  void running.finally(() => { done = true; });
  for (let steps = 0; !done; steps += 1) {
    if (steps > 600_000) assert.fail('the run did not end within 10 minutes of its manual clock');
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return running;
}

const request: LoadRequest = { flow: 'p2p', profile: 'test', ratePerSecond: 10, durationMs: 4000, warmupMs: 1000, drainMs: 1000, intervalMs: 1000 };

describe('BuiltinLoadRunner (manual clock, scripted hub)', () => {
  it('starts arrivals on schedule and reports the steady-state window, intervals, per-phase latencies and a committed sample', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, () => ({ ms: 20 }));
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock }).run(request));
    assert.equal(summary.scheduled, 40);
    assert.equal(driver.started, 40);
    assert.equal(summary.dropped, 0);
    assert.deepEqual(summary.window, { startMs: 1000, endMs: 3000 });
    assert.equal(summary.iterations.attempts, 20, 'only iterations that started inside the window count');
    assert.equal(summary.iterations.successes, 20);
    assert.deepEqual(summary.intervals.map((i) => i.succeeded), [10, 10]);
    assert.equal(summary.achievedRate, 10);
    for (const phase of ['lookups', 'quotes', 'transfers'] as const) {
      assert.ok(Math.abs(summary.phases[phase].percentilesMs['99']! - 20) < 1, `${phase} p99 ${summary.phases[phase].percentilesMs['99']}`);
    }
    assert.ok(Math.abs(summary.iterations.percentilesMs['99']! - 60) < 1);
    assert.equal(summary.committedSample.length, 20);
    assert.equal(new Set(summary.committedSample).size, 20);
    assert.match(summary.source, /^builtin runner, profile test, 10 P2P transfers\/s offered for 4 s, steady state 1 s–3 s$/);
  });

  it('measures latency from the intended start: a stalled hub shows in the latency, not in a slowed schedule', async () => {
    const clock = new ManualClock(0);
    // Lookups sent between 1.0 s and 1.5 s are answered only at 2.5 s: a one-second stall.
    const driver = scriptedDriver(clock, (phase) => {
      const now = clock.now();
      return { ms: phase === 'lookup' && now >= 1000 && now < 1500 ? 2500 - now : 20 };
    });
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock }).run(request));
    assert.equal(driver.started, 40, 'arrivals kept to the schedule during the stall');
    assert.equal(summary.dropped, 0);
    assert.ok(summary.iterations.percentilesMs['99.9']! >= 1500, `the first stalled iteration waited 1.5 s from its intended start: ${JSON.stringify(summary.iterations.percentilesMs)}`);
    assert.deepEqual(summary.intervals.map((i) => i.succeeded), [5, 15], 'the stall moved completions into the next interval');
    // The five stalled lookups of the window waited 1500, 1400, … 1100 ms; the other fifteen 20 ms.
    assert.equal(completedWithin(summary.phases.lookups, 1000), 15);
    assert.equal(completedWithin(summary.phases.lookups, 1401), 19);
    assert.equal(completedWithin(summary.phases.lookups, 1501), 20);
  });

  it('keeps its own failures apart from the hub\'s: an iteration the runner itself fails is a runner error, not a failed transfer', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, () => ({ ms: 20 }));
    const broken = { ...driver, requestQuote: () => Promise.reject(new Error('a defect of the tool')) };
    const summary = await drive(clock, new BuiltinLoadRunner({ driver: broken, parties, clock }).run(request));
    assert.deepEqual(summary.runnerErrors, { count: 40, first: 'a defect of the tool' });
    assert.deepEqual(summary.iterations.failures, {}, 'no failure is blamed on the hub');
  });

  it('counts arrivals it cannot start as dropped, and failures by phase and reason', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, (phase, n) => (phase === 'lookup' && n % 4 === 3 ? { ms: 20, error: '3204' } : { ms: phase === 'transfer' ? 350 : 20 }));
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock, maxInFlight: 3 }).run(request));
    assert.ok(summary.dropped > 0, 'at most 3 in flight cannot carry 10/s of 390 ms iterations');
    assert.equal(driver.started + summary.dropped, 40);
    assert.ok((summary.phases.lookups.failures['error callback 3204'] ?? 0) > 0);
    assert.equal(summary.iterations.failures['lookups: error callback 3204'], summary.phases.lookups.failures['error callback 3204']);
    assert.equal(summary.iterations.attempts, summary.iterations.successes + summary.phases.lookups.failures['error callback 3204']!);
  });

  it('drives a hub past its capacity at its capacity: the in-flight cap follows the pace it completes, the rest dropped and counted', async () => {
    const clock = new ManualClock(0);
    // The hub looks parties up one at a time, 100 ms each: 10/s, where 100/s are offered. A lookup
    // that would wait past the 2 s a callback may take is given up (an error callback at 2 s), as a
    // DFSP's timeout gives it up: without the governor most would be.
    let lookupFreeAt = 0;
    const driver = scriptedDriver(clock, (phase) => {
      if (phase !== 'lookup') return { ms: 5 };
      const answerAt = Math.max(lookupFreeAt, clock.now()) + 100;
      if (answerAt - clock.now() > 2000) return { ms: 2000, error: '2004' };
      lookupFreeAt = answerAt;
      return { ms: answerAt - clock.now() };
    });
    const overload: LoadRequest = { flow: 'p2p', profile: 'test', ratePerSecond: 100, durationMs: 20_000, warmupMs: 5000, drainMs: 1000, intervalMs: 5000 };
    // Callbacks time out after 2 s a phase: iterations are held to 1.5 s (a quarter of three phases' timeouts).
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock, phaseTimeoutMs: 2000 }).run(overload));
    assert.ok(summary.governed, 'the governor held the hub to fewer iterations in flight');
    assert.equal(summary.governed.targetMs, 1500);
    // 10/s × 1.5 s = 15 in flight; the floor is 10 (0.1 s of arrivals).
    assert.ok(summary.governed.lowest >= 10 && summary.governed.lowest <= 20, `lowest cap ${summary.governed.lowest}`);
    assert.ok(Math.abs(summary.governed.paceAtLowest - 10) <= 2, `pace ${summary.governed.paceAtLowest}`);
    // Without the governor up to 1000 would be in flight and nearly every lookup given up at 2 s.
    const p50 = summary.iterations.percentilesMs['50']!;
    assert.ok(p50 < 2000, `steady-state p50 ${p50} ms`);
    const givenUp = summary.iterations.failures['lookups: error callback 2004'] ?? 0;
    assert.ok(givenUp < summary.iterations.successes, `${givenUp} given up, ${summary.iterations.successes} succeeded`);
    assert.ok(Math.abs(summary.achievedRate - 10) <= 1, `achieved ${summary.achievedRate}/s`);
    assert.ok(summary.droppedInWindow! > 0 && summary.dropped >= summary.droppedInWindow!);
    assert.equal(driver.started + summary.dropped, 2000);
  });

  it('starts no iteration once the run stops (its signal aborted), and still reports what it measured', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, () => ({ ms: 20 }));
    const stop = new AbortController();
    clock.setTimeout(() => stop.abort(), 1500);
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock }).run({ ...request, signal: stop.signal }));
    assert.equal(driver.started, 15, 'arrivals up to 1.5 s, none after');
    assert.equal(summary.iterations.successes, 5);
  });

  it('checks every transfer as the functional scenario does: a fulfilment that does not match is a failure', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, (phase) => (phase === 'transfer' ? { ms: 20, body: { transferState: 'COMMITTED', fulfilment: randomBytes(32).toString('base64url') } } : { ms: 20 }));
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock }).run(request));
    assert.equal(summary.iterations.successes, 0);
    assert.equal(summary.phases.transfers.failures['fulfilment does not match the condition'], 20);
    assert.deepEqual(summary.committedSample, []);
  });

  it('asks back every transfer committed near a fault, not only a random sample: those are the ones a hub losing its last writes loses', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, () => ({ ms: 20 }));
    const fault = { atMs: 2000, inject: async () => ({ broke: 'the hub', atMs: 2000 }) };
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock, sampleSize: 5 }).run({ ...request, durationMs: 12_000, fault }));
    assert.equal(summary.fault?.broke, 'the hub');
    // Completed from 20 ms to 7 s at 10/s: 70 within 5 s of the fault at 2 s, and the 5 drawn at random over the window, some of them among those.
    assert.ok(summary.committedSample.length >= 70 && summary.committedSample.length <= 75, String(summary.committedSample.length));
    assert.equal(new Set(summary.committedSample).size, summary.committedSample.length);
    const noFault = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock, sampleSize: 5 }).run({ ...request, durationMs: 12_000 }));
    assert.equal(noFault.committedSample.length, 5);
  });

  it('holds every success callback to the run\'s further check (the FSPIOP definition): a callback that breaks it is a failure', async () => {
    const clock = new ManualClock(0);
    const driver = scriptedDriver(clock, () => ({ ms: 20 }));
    const check = (exchange: Exchange) => (exchange.operation === 'quote' ? 'callback breaks FSPIOP v1.1: body.condition is required' : undefined);
    const summary = await drive(clock, new BuiltinLoadRunner({ driver, parties, clock, check }).run(request));
    assert.equal(summary.iterations.successes, 0);
    assert.equal(summary.phases.lookups.successes, summary.phases.lookups.attempts);
    assert.equal(summary.phases.quotes.failures['callback breaks FSPIOP v1.1: body.condition is required'], summary.phases.quotes.attempts);
  });
});
