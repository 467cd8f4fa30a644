import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExchangeLog } from '../../src/fspiop/exchange-log.ts';
import type { Exchange } from '../../src/fspiop/payer-dfsp.ts';

const exchange = (operation: Exchange['operation'], endToEndMs?: number, timedOut = false): Exchange => ({
  operation, method: 'GET', url: 'http://hub', path: '/', requestHeaders: {}, correlationKey: 'k', startedAt: '', ack: { status: 202, body: '', ms: 1 },
  ...(endToEndMs === undefined ? {} : { endToEndMs }), timedOut,
});

describe('ExchangeLog', () => {
  it('summarises per operation, counting timeouts and ignoring them in the latency figures', () => {
    const timings = new ExchangeLog();
    for (const ms of [30, 10, 20]) timings.add(exchange('quote', ms));
    timings.add(exchange('quote', undefined, true));
    timings.add(exchange('lookup', 5.04));
    assert.deepEqual(timings.summary(), {
      quote: { count: 4, completed: 3, timedOut: 1, endToEndMs: { min: 10, median: 20, max: 30 } },
      lookup: { count: 1, completed: 1, timedOut: 0, endToEndMs: { min: 5, median: 5, max: 5 } },
    });
  });
});
