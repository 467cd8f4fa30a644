import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallbackCorrelator, CallbackTimeoutError, type ReceivedCallback } from '../../src/fspiop/callback-correlator.ts';

const callback = (key: string, body: unknown = {}): ReceivedCallback =>
  ({ key, kind: 'success', path: '/', headers: {}, body, receivedAt: performance.now() });

describe('CallbackCorrelator', () => {
  it('times out with the key and the budget in the message', async () => {
    const correlator = new CallbackCorrelator();
    await assert.rejects(correlator.expect('parties:MSISDN/9', 20).callback, (error: Error) => {
      assert.ok(error instanceof CallbackTimeoutError);
      assert.equal(error.message, 'no callback for parties:MSISDN/9 within 20 ms');
      return true;
    });
    assert.equal(correlator.pending, 0);
    assert.equal(correlator.deliver(callback('parties:MSISDN/9')), 'late', 'a late lookup callback is recognised as such');
    assert.equal(correlator.deliver(callback('parties:MSISDN/9')), 'unknown', 'and only one is owed');
  });

  it('hands a later PUT for a timed-out transfer to a newer request for that id (a state query)', async () => {
    const correlator = new CallbackCorrelator();
    await assert.rejects(correlator.expect('transfers:abc', 20).callback);
    const query = correlator.expect('transfers:abc', 1000);
    assert.equal(correlator.deliver(callback('transfers:abc', { transferState: 'COMMITTED' })), 'delivered');
    assert.deepEqual((await query.callback).body, { transferState: 'COMMITTED' });
  });

  it('recognises a late transfer callback nobody waits for any more as late, not as an unknown id', async () => {
    const correlator = new CallbackCorrelator();
    await assert.rejects(correlator.expect('transfers:slow', 20).callback);
    assert.equal(correlator.deliver(callback('transfers:slow')), 'late');
    assert.equal(correlator.deliver(callback('transfers:never-sent')), 'unknown');
  });

  it('does not hand the late callback of a timed-out lookup to a newer lookup of the same party', async () => {
    const correlator = new CallbackCorrelator();
    await assert.rejects(correlator.expect('parties:MSISDN/1', 20).callback);
    const newer = correlator.expect('parties:MSISDN/1', 1000);
    assert.equal(correlator.deliver(callback('parties:MSISDN/1', { stale: true })), 'late');
    assert.equal(correlator.deliver(callback('parties:MSISDN/1', { fresh: true })), 'delivered');
    assert.deepEqual((await newer.callback).body, { fresh: true });
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

  it('fails every waiter when rejected all at once', async () => {
    const correlator = new CallbackCorrelator();
    const waiting = correlator.expect('transfers:t', 1000);
    correlator.rejectAll(new Error('stopped'));
    await assert.rejects(waiting.callback, /stopped/);
    assert.equal(correlator.pending, 0);
  });
});
