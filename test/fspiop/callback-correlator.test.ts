import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { CallbackCorrelator, CallbackTimeoutError, type ReceivedCallback } from '../../src/fspiop/callback-correlator.ts';

const callback = (key: string, body: unknown = {}): ReceivedCallback =>
  ({ key, kind: 'success', path: '/', headers: {}, body, receivedAt: performance.now() });

describe('CallbackCorrelator', () => {
  // Time is advanced by hand: a timeout fires exactly when the test says, however busy the machine.
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.parse('2026-11-27T00:00:00Z') }));
  afterEach(() => mock.timers.reset());

  /** Lets the timeout fire: the waiter is rejected and its late-callback window opens. */
  const expire = async (waiting: Promise<unknown>, ms: number) => {
    mock.timers.tick(ms);
    await assert.rejects(waiting);
  };

  it('times out with the key and the budget in the message', async () => {
    const correlator = new CallbackCorrelator();
    const waiting = correlator.expect('parties:MSISDN/9', 20).callback;
    mock.timers.tick(19);
    assert.equal(correlator.pending, 1, 'not a millisecond early');
    mock.timers.tick(1);
    await assert.rejects(waiting, (error: Error) => {
      assert.ok(error instanceof CallbackTimeoutError);
      assert.equal(error.message, 'no callback for parties:MSISDN/9 within 20 ms');
      return true;
    });
    assert.equal(correlator.pending, 0);
    assert.equal(correlator.deliver(callback('parties:MSISDN/9')), 'late', 'a late lookup callback is recognised as such');
    assert.equal(correlator.deliver(callback('parties:MSISDN/9')), 'unknown', 'and only one is owed');
  });

  it('stops expecting a late callback once the late window (as long as the timeout) has passed', async () => {
    const correlator = new CallbackCorrelator();
    await expire(correlator.expect('parties:MSISDN/7', 1000).callback, 1000);
    mock.timers.tick(1000);
    assert.equal(correlator.deliver(callback('parties:MSISDN/7')), 'unknown');
  });

  it('hands a later PUT for a timed-out transfer to a newer request for that id (a state query)', async () => {
    const correlator = new CallbackCorrelator();
    await expire(correlator.expect('transfers:abc', 20).callback, 20);
    const query = correlator.expect('transfers:abc', 1000);
    assert.equal(correlator.deliver(callback('transfers:abc', { transferState: 'COMMITTED' })), 'delivered');
    assert.deepEqual((await query.callback).body, { transferState: 'COMMITTED' });
  });

  it('recognises a late transfer callback nobody waits for any more as late, not as an unknown id', async () => {
    const correlator = new CallbackCorrelator();
    await expire(correlator.expect('transfers:slow', 20).callback, 20);
    assert.equal(correlator.deliver(callback('transfers:slow')), 'late');
    assert.equal(correlator.deliver(callback('transfers:never-sent')), 'unknown');
  });

  it('does not hand the late callback of a timed-out lookup to a newer lookup of the same party', async () => {
    const correlator = new CallbackCorrelator();
    await expire(correlator.expect('parties:MSISDN/1', 20).callback, 20);
    const newer = correlator.expect('parties:MSISDN/1', 1000);
    assert.equal(correlator.deliver(callback('parties:MSISDN/1', { stale: true })), 'late');
    assert.equal(correlator.deliver(callback('parties:MSISDN/1', { fresh: true })), 'delivered');
    assert.deepEqual((await newer.callback).body, { fresh: true });
  });

  it('counts a second answer to an answered request as a duplicate while that request\'s timeout lasts', async () => {
    const correlator = new CallbackCorrelator();
    const waiting = correlator.expect('transfers:t1', 1000);
    assert.equal(correlator.deliver(callback('transfers:t1')), 'delivered');
    await waiting.callback;
    assert.equal(correlator.deliver(callback('transfers:t1')), 'duplicate');
    mock.timers.tick(1000);
    assert.equal(correlator.deliver(callback('transfers:t1')), 'unknown');
  });

  it('answers concurrent waiters on one key first come, first served', async () => {
    const correlator = new CallbackCorrelator();
    const first = correlator.expect('parties:MSISDN/1', 1000);
    const second = correlator.expect('parties:MSISDN/1', 1000);
    correlator.deliver(callback('parties:MSISDN/1', { n: 1 }));
    correlator.deliver(callback('parties:MSISDN/1', { n: 2 }));
    assert.deepEqual((await first.callback).body, { n: 1 });
    assert.deepEqual((await second.callback).body, { n: 2 });
  });

  it('hands a callback only to the request of the DFSP it is addressed to, when several DFSPs ask about one id', async () => {
    const correlator = new CallbackCorrelator();
    const addressed = (to: string, body: unknown): ReceivedCallback => ({ ...callback('transfers:t1', body), headers: { 'fspiop-destination': to } });
    const payer = correlator.expect('transfers:t1', 1000, [], 'payerfsp');
    const bystander = correlator.expect('transfers:t1', 1000, [], 'bystanderfsp');
    assert.equal(correlator.deliver(addressed('bystanderfsp', { errorCode: '3000' })), 'delivered');
    assert.deepEqual((await bystander.callback).body, { errorCode: '3000' });
    assert.equal(correlator.pending, 1, 'the payer\'s request still waits: the bystander\'s answer is not its answer');
    assert.equal(correlator.deliver(addressed('payerfsp', { transferState: 'COMMITTED' })), 'delivered');
    assert.deepEqual((await payer.callback).body, { transferState: 'COMMITTED' });
  });

  it('never takes what the hub told another DFSP for the answer of the one waiting', async () => {
    const correlator = new CallbackCorrelator();
    const bystander = correlator.expect('transfers:t2', 1000, [], 'bystanderfsp');
    const toPayer: ReceivedCallback = { ...callback('transfers:t2', { transferState: 'COMMITTED' }), headers: { 'fspiop-destination': 'payerfsp' } };
    assert.equal(correlator.deliver(toPayer), 'unknown');
    assert.equal(correlator.pending, 1);
    bystander.cancel();
  });

  it('fails every waiter when rejected all at once', async () => {
    const correlator = new CallbackCorrelator();
    const waiting = correlator.expect('transfers:t', 1000);
    correlator.rejectAll(new Error('stopped'));
    await assert.rejects(waiting.callback, /stopped/);
    assert.equal(correlator.pending, 0);
  });

  it('a state query never takes a resent copy of an earlier answer (same body, same Date) for its own answer', async () => {
    const correlator = new CallbackCorrelator();
    const first = correlator.expect('quotes:q1', 1000);
    const answer = { ...callback('quotes:q1', { condition: 'c' }), headers: { date: 'Fri, 27 Nov 2026 00:00:00 GMT' } };
    assert.equal(correlator.deliver(answer), 'delivered');
    assert.equal(await first.callback, answer);

    const query = correlator.expect('quotes:q1', 1000, [answer]);
    assert.equal(correlator.deliver({ ...answer, receivedAt: performance.now() }), 'duplicate', 'the notifier\'s second copy');
    assert.equal(correlator.pending, 1, 'the query still waits');
    const fresh = { ...answer, headers: { date: 'Fri, 27 Nov 2026 00:00:02 GMT' } };
    assert.equal(correlator.deliver(fresh), 'delivered', 'the same terms with a Date of their own: the answer');
    assert.equal(await query.callback, fresh);
  });

  it('forgets the requests whose late callback never came once their time has passed: a hub silent for an hour does not grow it', async () => {
    const correlator = new CallbackCorrelator();
    const waits = Array.from({ length: 100 }, (_, i) => correlator.expect(`transfers:t${i}`, 1000).callback);
    mock.timers.tick(1000);
    for (const wait of waits) await assert.rejects(wait);
    assert.equal(correlator.awaitingLate, 100, 'every late callback still expected within its window');
    mock.timers.tick(1000);
    await expire(correlator.expect('transfers:later', 1000).callback, 1000);
    assert.equal(correlator.awaitingLate, 1, 'only the last one still expected');
  });
});
